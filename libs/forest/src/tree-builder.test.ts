import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binDataset } from './binning';
import { RandomForestRegressor } from './forest';
import { saveModel } from './model-file';
import { studyData } from './study-data.fixture';
import { buildTree } from './tree-builder';

test('growing over groups of identical rows gives the same trees as growing over rows', () => {
  const d = studyData(20000, 5);
  const data = binDataset({ nRows: 20000, columns: [d.age, d.isActive] });
  assert.ok(data.groups && data.groups.nGroups === 126, `groups: ${data.groups?.nGroups}`);
  const { groups: _, ...ungrouped } = data;
  for (const params of [
    { maxDepth: 10, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2, bootstrap: true, nDraws: 20000 },
    { maxDepth: -1, minSamplesSplit: 40, minSamplesLeaf: 7, maxFeatures: 1, bootstrap: true, nDraws: 12000 },
  ]) {
    for (let t = 0; t < 3; t++) {
      const a = buildTree(data, { kind: 'regression', y: d.salary }, params, 9, t);
      const b = buildTree(ungrouped, { kind: 'regression', y: d.salary }, params, 9, t);
      assert.deepEqual(a.feature, b.feature);
      assert.deepEqual(a.threshold, b.threshold);
      assert.deepEqual(a.nSamples, b.nSamples);
      assert.deepEqual(a.weightedNSamples, b.weightedNSamples);
      for (let i = 0; i < a.nodeCount; i++) {
        assert.ok(Math.abs(a.value[i] - b.value[i]) <= 1e-9 * Math.abs(b.value[i]), `node ${i} value`);
        assert.ok(
          Math.abs(a.impurity[i] - b.impurity[i]) <= 1e-6 * b.impurity[i] + 1e-6,
          `node ${i} impurity`,
        );
      }
    }
  }
});

test('grouped fits are identical for 1 and 2 threads', async () => {
  const d = studyData(20000, 6);
  const fit = async (nJobs: number) =>
    Buffer.from(
      saveModel(
        await new RandomForestRegressor({ nEstimators: 6, randomState: 3, nJobs }).fit(
          [d.age, d.isActive],
          d.salary,
        ),
      ).bytes,
    );
  assert.ok((await fit(1)).equals(await fit(2)));
});
