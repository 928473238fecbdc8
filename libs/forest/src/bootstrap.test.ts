import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binDataset } from './binning';
import { poissonThresholds } from './bootstrap';
import { RandomForestRegressor } from './forest';
import { saveModel } from './model-file';
import { studyData } from './study-data.fixture';
import { buildTree } from './tree-builder';

const modelBytes = (rf: RandomForestRegressor) => Buffer.from(saveModel(rf).bytes);

test('Poisson thresholds follow the Poisson(λ) law and end at 2^32', () => {
  for (const lambda of [1, 0.5, 0.1]) {
    const t = poissonThresholds(lambda);
    assert.equal(t[t.length - 1], 4294967296);
    assert.ok(Math.abs(t[0]! / 4294967296 - Math.exp(-lambda)) < 1e-9);
    assert.ok(Math.abs((t[1]! - t[0]!) / 4294967296 - lambda * Math.exp(-lambda)) < 1e-9);
  }
});

test('Poisson bootstrap: the streaming pass over groups grows the same trees as per-row weights, on a subset too', () => {
  const d = studyData(20000, 5);
  const data = binDataset({ nRows: 20000, columns: [d.age, d.isActive] });
  assert.ok(data.groups);
  const { groups: _, ...ungrouped } = data;
  const subset = Uint32Array.from({ length: 20000 }, (_, i) => i).filter((i) => i % 3 !== 1);
  const params = {
    maxDepth: -1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: 2,
    bootstrap: true,
    nDraws: subset.length,
    bootstrapMethod: 'poisson' as const,
  };
  for (const rows of [undefined, subset])
    for (let t = 0; t < 3; t++) {
      const p = { ...params, nDraws: rows ? rows.length : 20000 };
      const a = buildTree(data, { kind: 'regression', y: d.salary }, p, 9, t, rows);
      const b = buildTree(ungrouped, { kind: 'regression', y: d.salary }, p, 9, t, rows);
      assert.deepEqual(a.threshold, b.threshold);
      assert.deepEqual(a.nSamples, b.nSamples);
      assert.deepEqual(a.weightedNSamples, b.weightedNSamples);
      for (let i = 0; i < a.nodeCount; i++)
        assert.ok(Math.abs(a.value[i]! - b.value[i]!) <= 1e-9 * Math.abs(b.value[i]!), `node ${i} value`);
      // Σw over the root is Poisson(m): within 5 standard deviations of m
      const m = rows ? rows.length : 20000;
      assert.ok(
        Math.abs(a.weightedNSamples[0]! - m) < 5 * Math.sqrt(m),
        `root weight ${a.weightedNSamples[0]}`,
      );
    }
});

test('fitBinned on a row subset equals fit on those rows (same bins), and is the same for 1 and 2 threads', async () => {
  const d = studyData(12000, 8);
  const data = binDataset({ nRows: 12000, columns: [d.age, d.isActive] });
  const rows = Uint32Array.from({ length: 12000 }, (_, i) => i).filter((i) => i % 4 !== 0);
  const take = (c: ArrayLike<number>) => Float64Array.from(rows, (r) => c[r]!);
  const params = { nEstimators: 4, maxDepth: 6, randomState: 5 };
  const direct = await new RandomForestRegressor({ ...params, nJobs: 1 }).fit(
    [take(d.age), take(d.isActive)],
    take(d.salary),
  );
  const binned = await new RandomForestRegressor({ ...params, nJobs: 1 }).fitBinned(data, d.salary, rows);
  // the same splits; leaf sums may add the groups in another order (groups are numbered by first row)
  assert.deepEqual(binned.forest.feature, direct.forest.feature);
  assert.deepEqual(binned.forest.threshold, direct.forest.threshold);
  const a = binned.predict([d.age, d.isActive]);
  const b = direct.predict([d.age, d.isActive]);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-9 * Math.abs(b[i]!), `row ${i}`);
  const poisson = { ...params, bootstrapMethod: 'poisson' as const };
  const one = await new RandomForestRegressor({ ...poisson, nJobs: 1 }).fitBinned(data, d.salary, rows);
  const two = await new RandomForestRegressor({ ...poisson, nJobs: 2 }).fitBinned(data, d.salary, rows);
  assert.ok(modelBytes(one).equals(modelBytes(two)));
  assert.ok(!modelBytes(one).equals(modelBytes(binned)), 'Poisson draws differ from multinomial ones');
});

test('fitBinned refuses rows out of order or out of range, naming them', async () => {
  const d = studyData(100, 1);
  const data = binDataset({ nRows: 100, columns: [d.age] });
  const rf = new RandomForestRegressor({ nEstimators: 1, nJobs: 1 });
  await assert.rejects(rf.fitBinned(data, d.salary, Uint32Array.of(3, 2)), /rows\[1\] = 2/);
  await assert.rejects(rf.fitBinned(data, d.salary, Uint32Array.of(100)), /below 100/);
  await assert.rejects(rf.fitBinned(data, d.salary.subarray(1)), /y has 99 values/);
});
