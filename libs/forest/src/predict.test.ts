import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlatForest } from './flat-forest';
import { nextDown, nextUp } from './float-step';
import { RandomForestClassifier, RandomForestRegressor } from './forest';
import { Rng } from './rng';

/** The obvious walk: x ≤ threshold goes left. */
function naive(f: FlatForest, cols: Float64Array[], row: number): number[] {
  const sum = new Array(f.nOutputs).fill(0);
  for (let t = 0; t < f.nTrees; t++) {
    let n = f.roots[t];
    while (f.feature[n] >= 0) n = cols[f.feature[n]][row] <= f.threshold[n] ? f.left[n] : f.right[n];
    for (let c = 0; c < f.nOutputs; c++) sum[c] += f.value[n * f.nOutputs + c];
  }
  return sum.map((s) => s / f.nTrees);
}

function inputs(f: FlatForest, n: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: f.nFeatures }, (_, feat) => {
    const th = Array.from(f.threshold.filter((_, i) => f.feature[i] === feat));
    const special = [0, -0, -1e300, 1e300, ...th, ...th.map(nextUp), ...th.map(nextDown)];
    return Float64Array.from({ length: n }, (_, i) =>
      i < special.length ? special[i] : (rng.nextU32() / 2 ** 32) * 120 - 10,
    );
  });
}

test('batched branch-free prediction equals the naive walk, on and around every threshold', async () => {
  const rng = new Rng(9);
  const cols = Array.from({ length: 4 }, () =>
    Float64Array.from({ length: 2000 }, () => (rng.nextU32() / 2 ** 32) * 100),
  );
  const y = Float64Array.from(
    { length: 2000 },
    (_, i) => Math.sin(cols[0][i] / 10) * 5 + cols[1][i] / 20 + (cols[2][i] > 50 ? 3 : 0),
  );
  const rf = await new RandomForestRegressor({
    nEstimators: 6,
    maxDepth: null,
    maxFeatures: 0.5,
    randomState: 2,
    nJobs: 1,
  }).fit(cols, y);
  const x = inputs(rf.forest, 3000, 10);
  const p = rf.predict(x);
  for (let r = 0; r < 3000; r++) assert.equal(p[r], naive(rf.forest, x, r)[0], `row ${r}`);

  const labels = Float64Array.from(y, (v) => (v > 3 ? 2 : v > 0 ? 1 : 0));
  const clf = await new RandomForestClassifier({ nEstimators: 5, maxDepth: 6, randomState: 3, nJobs: 1 }).fit(
    cols,
    labels,
  );
  const xc = inputs(clf.forest, 1000, 11);
  const proba = clf.predictProba(xc);
  for (let r = 0; r < 1000; r++) {
    const want = naive(clf.forest, xc, r);
    for (let c = 0; c < 3; c++)
      assert.ok(Math.abs(proba[r * 3 + c] - want[c]) < 1e-12, `row ${r} class ${c}`);
  }
});
