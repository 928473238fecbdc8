import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mse, RandomForestRegressor } from '@lakestream/forest';
import { assignFolds, inSample, TEST_FOLD } from '@lakestream/tuning';
import type { TrainingData } from './data';
import { predictDistinct, prepareData, subsetMse, trialRows } from './prepared';

function data(n: number): TrainingData {
  const ids = Float64Array.from({ length: n }, (_, i) => i * 3 + 1);
  const age = Float64Array.from(ids, (id) => 18 + (id % 63));
  const y = Float64Array.from(age, (a, i) => 1000 * a + ((i * 7919) % 1000));
  return { nRows: n, ids, x: [age], y, dropped: 0, files: [] };
}

test('trial rows are the fold split and halving sample of the id hash, over the training split', async () => {
  const d = data(30_000);
  const folds = assignFolds(d.ids, 3, 0.2, 42);
  const p = await prepareData(d, folds, 42, { keepTest: true });
  const trainIds = d.ids.filter((_, i) => folds[i] !== TEST_FOLD);
  assert.equal(p.nTrain, trainIds.length);
  assert.equal(p.test!.y.length, d.nRows - p.nTrain);
  const { train, valid } = trialRows(p, 1, 1 / 3);
  const trainFolds = folds.filter((f) => f !== TEST_FOLD);
  const expectTrain = [...trainIds.keys()].filter(
    (r) => trainFolds[r] !== 1 && inSample(trainIds[r]!, 1 / 3, 42),
  );
  const expectValid = [...trainIds.keys()].filter(
    (r) => trainFolds[r] === 1 && inSample(trainIds[r]!, 1 / 3, 42),
  );
  assert.deepEqual([...train], expectTrain);
  assert.deepEqual([...valid], expectValid);
});

test('the grouped validation MSE and predictDistinct equal predicting every row', async () => {
  const d = data(20_000);
  const folds = assignFolds(d.ids, 3, 0.2, 7);
  const p = await prepareData(d, folds, 7, { keepTest: true });
  assert.ok(p.groupX, 'age alone is grouped');
  const rows = trialRows(p, 0, 1);
  const model = await new RandomForestRegressor({ nEstimators: 5, randomState: 1, nJobs: 1 }).fitBinned(
    p.binned,
    p.y,
    rows.train,
  );
  const scaledAge = Float64Array.from(
    rows.valid,
    (r) => p.groupX?.[0]?.[p.binned.groups?.groupOf[r] ?? -1] ?? Number.NaN,
  );
  const yValid = Float64Array.from(rows.valid, (r) => p.y[r]!);
  const direct = mse(yValid, model.predict([scaledAge]));
  assert.ok(Math.abs(subsetMse(p, model, rows.valid) - direct) <= 1e-9 * direct);
  assert.deepEqual(predictDistinct(model, p.test!.x), model.predict(p.test!.x));
});
