import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomForestRegression } from 'ml-random-forest';
import { ForestFormatError } from './errors';
import { RandomForestRegressor } from './forest';
import { exportMlRandomForest, importMlRandomForest } from './ml-random-forest-format';
import { Rng } from './rng';
import { studyData } from './study-data.fixture';

function rows(columns: Float64Array[]): number[][] {
  return Array.from(columns[0], (_, i) => columns.map((c) => c[i]));
}

function continuousData(n: number, seed: number) {
  const rng = new Rng(seed);
  const a = Float64Array.from({ length: n }, () => rng.nextU32() / 2 ** 32);
  const b = Float64Array.from({ length: n }, () => Math.round((rng.nextU32() / 2 ** 32) * 20));
  const c = Float64Array.from({ length: n }, () => (rng.nextU32() / 2 ** 32) * 100 - 50);
  const y = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(6 * a[i]) * 10 + b[i] - 0.1 * c[i] + rng.nextU32() / 2 ** 32,
  );
  return { columns: [a, b, c], y };
}

test('a forest exported to ml-random-forest predicts exactly what ours predicts', async () => {
  const train = continuousData(600, 1);
  const rf = await new RandomForestRegressor({ nEstimators: 7, maxDepth: 6, randomState: 3, nJobs: 1 }).fit(
    train.columns,
    train.y,
  );
  const json = JSON.parse(JSON.stringify(exportMlRandomForest(rf.forest)));
  const theirs = RandomForestRegression.load(json);
  const test = continuousData(400, 2);
  // include values exactly on our thresholds, where < and ≤ differ
  const onThreshold = rf.forest.threshold.filter((_, i) => rf.forest.feature[i] >= 0).slice(0, 50);
  const cols = test.columns.map((c) => Float64Array.from([...c, ...onThreshold, ...onThreshold]));
  const ours = rf.predict(cols);
  const expected = theirs.predict(rows(cols));
  assert.equal(expected.length, ours.length);
  for (let i = 0; i < ours.length; i++)
    assert.ok(Math.abs(ours[i] - expected[i]) <= 1e-9, `row ${i}: ${ours[i]} vs ${expected[i]}`);
});

test('a forest trained by ml-random-forest (feature bagging) predicts the same after import', () => {
  const train = continuousData(300, 4);
  const theirs = new RandomForestRegression({
    nEstimators: 5,
    maxFeatures: 2,
    seed: 7,
    noOOB: true,
    treeOptions: { maxDepth: 5 },
  });
  theirs.train(rows(train.columns), Array.from(train.y));
  const flat = importMlRandomForest(JSON.parse(JSON.stringify(theirs.toJSON())), { nFeatures: 3 });
  const ours = RandomForestRegressor.fromForest(flat);
  const test = continuousData(300, 5);
  const p = ours.predict(test.columns);
  const expected = theirs.predict(rows(test.columns));
  for (let i = 0; i < p.length; i++)
    assert.ok(Math.abs(p[i] - expected[i]) <= 1e-9, `row ${i}: ${p[i]} vs ${expected[i]}`);
});

test('import refuses documents that are not ml-random-forest regression models', () => {
  assert.throws(() => importMlRandomForest({ name: 'RFClassifier' }), ForestFormatError);
  assert.throws(() => importMlRandomForest(null), ForestFormatError);
  const d = studyData(50, 1);
  const theirs = new RandomForestRegression({
    nEstimators: 2,
    seed: 1,
    noOOB: true,
    treeOptions: { maxDepth: 2 },
  });
  theirs.train(rows([d.age, d.isActive]), Array.from(d.salary));
  const json = JSON.parse(JSON.stringify(theirs.toJSON()));
  json.baseModel.estimators[0].root.splitColumn = 9;
  assert.throws(() => importMlRandomForest(json), /splitColumn 9/);
  json.baseModel.estimators[0].root = { splitValue: 1, splitColumn: 0, left: { distribution: 1 } };
  assert.throws(() => importMlRandomForest(json), /missing node/);
  json.selectionMethod = 'median';
  assert.throws(() => importMlRandomForest(json), /selectionMethod/);
});
