import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPython, tempDir } from '@lakestream/testkit';
import { ForestInputError, NotFittedError } from './errors';
import { RandomForestRegressor } from './forest';
import { Rng } from './rng';
import { saveModel } from './model-file';

const exact = { nEstimators: 1, bootstrap: false, nJobs: 1, randomState: 0 };

test('a stump worked by hand: threshold halfway between 2 and 3, x = 2.5 goes left', async () => {
  const rf = await new RandomForestRegressor({ ...exact, maxDepth: 1 }).fit([[1, 2, 3, 4]], [1, 1, 5, 5]);
  const f = rf.forest;
  assert.equal(f.roots[1], 3);
  assert.equal(f.feature[0], 0);
  assert.equal(f.threshold[0], 2.5);
  assert.deepEqual(Array.from(rf.predict([[0, 2, 2.5, 2.6, 9]])), [1, 1, 1, 5, 5]);
  // impurities: root variance of [1,1,5,5] = 4, children 0
  assert.deepEqual(Array.from(f.impurity), [4, 0, 0]);
});

test('two features by hand: the split with the larger variance reduction wins, then depth 2', async () => {
  // y depends on b (big jump) and a little on a
  const a = [0, 1, 0, 1, 0, 1, 0, 1];
  const b = [0, 0, 0, 0, 1, 1, 1, 1];
  const y = [0, 1, 0, 1, 10, 11, 10, 11];
  const rf = await new RandomForestRegressor({ ...exact, maxDepth: 2 }).fit([a, b], y);
  const f = rf.forest;
  assert.equal(f.feature[0], 1);
  assert.equal(f.threshold[0], 0.5);
  assert.deepEqual(Array.from(rf.predict([a, b])), y);
  const imp = rf.featureImportances();
  // decrease at root: 8·(var(y) − var within halves) = 8·(25.25 − 0.25) = 200; at depth 2: 2·4·0.25 = 2
  assert.ok(Math.abs(imp[1] - 200 / 202) < 1e-12 && Math.abs(imp[0] - 2 / 202) < 1e-12, `importances ${imp}`);
});

test('constant feature, constant target and a single row give a single leaf', async () => {
  const c = await new RandomForestRegressor(exact).fit([[3, 3, 3, 3]], [1, 2, 3, 6]);
  assert.equal(c.forest.roots[1], 1);
  assert.deepEqual(Array.from(c.predict([[0, 100]])), [3, 3]);
  const t = await new RandomForestRegressor(exact).fit([[1, 2, 3]], [7, 7, 7]);
  assert.equal(t.forest.roots[1], 1);
  const one = await new RandomForestRegressor({ nEstimators: 5, nJobs: 1, randomState: 1 }).fit(
    [[42]],
    [9.5],
  );
  assert.deepEqual(Array.from(one.predict([[0, 42, 1e9]])), [9.5, 9.5, 9.5]);
});

test('NaN, infinity, empty input and shape mismatches are refused with clear errors', async () => {
  const rf = new RandomForestRegressor(exact);
  await assert.rejects(
    rf.fit([[1, Number.NaN]], [1, 2]),
    (e: Error) => e instanceof ForestInputError && /NaN at row 1/.test(e.message),
  );
  await assert.rejects(
    rf.fit([[1, 2]], [1, Number.POSITIVE_INFINITY]),
    /target y contains infinity at row 1/,
  );
  await assert.rejects(rf.fit({ nRows: 0, columns: [new Float64Array(0)] }, []), /empty input/);
  await assert.rejects(rf.fit([[1, 2, 3]], [1, 2]), /y has 2 values, X has 3 rows/);
  await assert.rejects(rf.fit([[1, 2], [1]], [1, 2]), /feature 1 has 1 values/);
  assert.throws(() => rf.predict([[1]]), NotFittedError);
  await rf.fit([[1, 2, 3]], [1, 2, 3]);
  assert.throws(() => rf.predict([[1], [2]]), /X has 2 features, the forest was fitted on 1/);
  assert.throws(() => rf.predict([[Number.NEGATIVE_INFINITY]]), /infinity/);
  assert.equal(rf.predict({ nRows: 0, columns: [[]] }).length, 0);
  assert.throws(() => new RandomForestRegressor({ maxDepth: 0 }), /maxDepth/);
  assert.throws(() => new RandomForestRegressor({ minSamplesSplit: 1 }), /minSamplesSplit/);
  assert.throws(() => new RandomForestRegressor({ bootstrap: false, maxSamples: 0.5 }), /bootstrap/);
  await assert.rejects(
    new RandomForestRegressor({ maxFeatures: 5, nJobs: 1 }).fit([[1, 2]], [1, 2]),
    /maxFeatures/,
  );
});

function wideData(n: number, seed: number) {
  const rng = new Rng(seed);
  const u = () => rng.nextU32() / 2 ** 32;
  const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: n }, () => Math.round(u() * 30)));
  const y = Float64Array.from(
    { length: n },
    (_, i) => cols[0][i] * 2 + Math.sin(cols[1][i]) * 5 + cols[2][i] * cols[3][i] * 0.1 + u(),
  );
  return { cols, y };
}

test('the same seed gives the same forest for 1, 2 and 3 threads', async () => {
  const data = wideData(3000, 3);
  const y = data.y;
  // one continuous column, so refined (raw-value) splits are exercised in the workers too
  const cols = [...data.cols, Float64Array.from(y, (v, i) => v + Math.sin(i))];
  const fit = (nJobs: number) =>
    new RandomForestRegressor({
      nEstimators: 9,
      maxFeatures: 'sqrt',
      maxSamples: 0.7,
      randomState: 17,
      nJobs,
    }).fit(cols, y);
  const bytes = await Promise.all([1, 2, 3].map(async (j) => Buffer.from(saveModel(await fit(j)).bytes)));
  assert.ok(bytes[0].equals(bytes[1]) && bytes[0].equals(bytes[2]));
  const other = saveModel(
    await new RandomForestRegressor({ nEstimators: 9, maxFeatures: 'sqrt', randomState: 18, nJobs: 1 }).fit(
      cols,
      y,
    ),
  );
  assert.ok(!bytes[0].equals(Buffer.from(other.bytes)));
});

test('without bootstrap and with all features, a tree equals scikit-learn DecisionTreeRegressor', async () => {
  const { cols, y } = wideData(400, 5);
  const { cols: testCols } = wideData(300, 6);
  for (const params of [
    { maxDepth: 4, minSamplesLeaf: 1 },
    { maxDepth: null, minSamplesLeaf: 3, minSamplesSplit: 10 },
  ]) {
    const rf = await new RandomForestRegressor({ ...exact, ...params }).fit(cols, y);
    const ours = rf.predict(testCols);
    const py = `
import json, sys, numpy as np
from sklearn.tree import DecisionTreeRegressor
d = json.load(sys.stdin)
m = DecisionTreeRegressor(max_depth=d['maxDepth'], min_samples_leaf=d['minSamplesLeaf'], min_samples_split=d.get('minSamplesSplit', 2), random_state=0)
m.fit(np.array(d['X']).T, d['y'])
print(json.dumps({'p': m.predict(np.array(d['T']).T).tolist(), 'imp': m.feature_importances_.tolist()}))`;
    const input = JSON.stringify({
      ...params,
      X: cols.map((c) => Array.from(c)),
      y: Array.from(y),
      T: testCols.map((c) => Array.from(c)),
    });
    const ref = JSON.parse(runPythonWithStdin(py, input));
    for (let i = 0; i < ours.length; i++)
      assert.ok(Math.abs(ours[i] - ref.p[i]) < 1e-9, `row ${i}: ${ours[i]} vs ${ref.p[i]}`);
    const imp = rf.featureImportances();
    imp.forEach((v, k) => {
      assert.ok(Math.abs(v - ref.imp[k]) < 1e-6, `importance ${k}: ${v} vs ${ref.imp[k]}`);
    });
  }
});

test('on a continuous feature (more than 256 values) splits are refined to scikit-learn exact thresholds', async () => {
  const rng = new Rng(21);
  const n = 5000;
  // float32 values: scikit-learn's trees work on float32 copies of X
  const x = Float64Array.from({ length: n }, () => Math.fround(rng.nextU32() / 2 ** 32));
  const z = Float64Array.from({ length: n }, () => Math.fround(rng.nextU32() / 2 ** 32));
  const y = Float64Array.from(
    { length: n },
    (_, i) => (x[i] > 0.3137 ? 5 : 0) + (z[i] > 0.71 ? 2 : 0) + rng.nextU32() / 2 ** 32,
  );
  const rf = await new RandomForestRegressor({ ...exact, maxDepth: 2 }).fit([x, z], y);
  const py = `
import json, sys, numpy as np
from sklearn.tree import DecisionTreeRegressor
d = json.load(sys.stdin)
m = DecisionTreeRegressor(max_depth=2, random_state=0).fit(np.array(d['X']).T, d['y'])
t = m.tree_
print(json.dumps({'feature': t.feature.tolist(), 'threshold': t.threshold.tolist()}))`;
  const ref = JSON.parse(
    runPythonWithStdin(py, JSON.stringify({ X: [Array.from(x), Array.from(z)], y: Array.from(y) })),
  );
  // scikit-learn numbers nodes depth-first, ours breadth-first per split: compare the root and the set of splits
  const f = rf.forest;
  assert.equal(f.feature[0], ref.feature[0]);
  assert.equal(f.threshold[0], ref.threshold[0]);
  const ours = Array.from(f.threshold.filter((_, i) => f.feature[i] >= 0)).sort();
  const theirs = (ref.threshold as number[]).filter((_, i) => ref.feature[i] >= 0).sort();
  assert.deepEqual(ours, theirs);
});

test('the forest MSE is close to scikit-learn RandomForestRegressor on the same data', async () => {
  const { cols, y } = wideData(3000, 7);
  const t = wideData(2000, 8);
  const rf = await new RandomForestRegressor({ nEstimators: 30, maxDepth: 8, randomState: 1, nJobs: 1 }).fit(
    cols,
    y,
  );
  const p = rf.predict(t.cols);
  let ours = 0;
  for (let i = 0; i < p.length; i++) ours += (p[i] - t.y[i]) ** 2;
  ours /= p.length;
  const py = `
import json, sys, numpy as np
from sklearn.ensemble import RandomForestRegressor
d = json.load(sys.stdin)
m = RandomForestRegressor(n_estimators=30, max_depth=8, random_state=1).fit(np.array(d['X']).T, d['y'])
p = m.predict(np.array(d['T']).T)
print(float(np.mean((p - np.array(d['ty'])) ** 2)))`;
  const input = JSON.stringify({
    X: cols.map((c) => Array.from(c)),
    y: Array.from(y),
    T: t.cols.map((c) => Array.from(c)),
    ty: Array.from(t.y),
  });
  const theirs = Number(runPythonWithStdin(py, input));
  assert.ok(ours <= theirs * 1.1, `ours ${ours} vs scikit-learn ${theirs}`);
});

function runPythonWithStdin(code: string, input: string): string {
  // runPython takes arguments, not stdin: pass the JSON through a temporary file
  const file = join(tempDir(), 'input.json');
  writeFileSync(file, input);
  return runPython(`import sys\nsys.stdin = open(sys.argv[1])\n${code}`, [file]);
}
