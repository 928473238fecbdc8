import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { RandomForestClassifier } from './forest';
import { Rng } from './rng';

function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const x0 = Float64Array.from({ length: n }, () => rng.nextInt(40));
  const x1 = Float64Array.from({ length: n }, () => rng.nextInt(10));
  const y = Float64Array.from({ length: n }, (_, i) =>
    x0[i] + 3 * x1[i] + rng.nextInt(15) > 40 ? (x1[i] > 5 ? 2 : 1) : 0,
  );
  return { cols: [x0, x1], y };
}

test('a classifier tree without bootstrap equals scikit-learn DecisionTreeClassifier', async () => {
  const train = data(500, 1);
  const t = data(300, 2);
  const clf = await new RandomForestClassifier({
    nEstimators: 1,
    bootstrap: false,
    maxFeatures: null,
    maxDepth: 5,
    nJobs: 1,
    randomState: 0,
  }).fit(train.cols, train.y);
  const file = join(tempDir(), 'd.json');
  writeFileSync(
    file,
    JSON.stringify({
      X: train.cols.map((c) => Array.from(c)),
      y: Array.from(train.y),
      T: t.cols.map((c) => Array.from(c)),
    }),
  );
  const ref = JSON.parse(
    runPython(
      `import json, sys, numpy as np
from sklearn.tree import DecisionTreeClassifier
d = json.load(open(sys.argv[1]))
m = DecisionTreeClassifier(max_depth=5, random_state=0).fit(np.array(d['X']).T, d['y'])
T = np.array(d['T']).T
print(json.dumps({'p': m.predict(T).tolist(), 'proba': m.predict_proba(T).tolist()}))`,
      [file],
    ),
  );
  assert.deepEqual(Array.from(clf.classes), [0, 1, 2]);
  const proba = clf.predictProba(t.cols);
  for (let i = 0; i < t.y.length; i++) {
    for (let c = 0; c < 3; c++)
      assert.ok(Math.abs(proba[i * 3 + c] - ref.proba[i][c]) < 1e-9, `row ${i} class ${c}`);
  }
  assert.deepEqual(Array.from(clf.predict(t.cols)), ref.p);
});

test('a classifier forest learns a separable rule and its probabilities sum to 1', async () => {
  const { cols, y } = data(2000, 3);
  const clf = await new RandomForestClassifier({ nEstimators: 20, randomState: 4, nJobs: 2 }).fit(cols, y);
  const p = clf.predictProba(cols);
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2] - 1) < 1e-9);
  const pred = clf.predict(cols);
  const acc = pred.filter((v, i) => v === y[i]).length / y.length;
  assert.ok(acc > 0.8, `training accuracy ${acc}`);
});
