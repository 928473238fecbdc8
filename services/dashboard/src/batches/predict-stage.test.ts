import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePredictionsFolder, type PredictionsListing, predictStage } from './predict-stage';

const at = (model: string, version: number) => `/lake/ds/predictions/model=${model}-v${version}/batch=b1`;
const listing = (
  model: string,
  version: number,
  partials: number[],
  success = false,
): PredictionsListing => ({ model, version, path: at(model, version), partials: new Set(partials), success });

describe('parsePredictionsFolder', () => {
  it('reads the model and version, the version after the last -v', () => {
    assert.deepEqual(parsePredictionsFolder('model=salary-v3'), { model: 'salary', version: 3 });
    assert.deepEqual(parsePredictionsFolder('model=my-v2-model-v12'), { model: 'my-v2-model', version: 12 });
  });

  it('refuses anything else', () => {
    for (const name of [
      '_assignments',
      'model=salary',
      'model=salary-v',
      'model=-v1',
      'model=Bad-v1',
      'batch=b1',
    ])
      assert.equal(parsePredictionsFolder(name), undefined, name);
  });
});

describe('predictStage', () => {
  const pin = { name: 'salary', version: 2, chosenAt: 1000 };

  it('no predictions and no pin: nothing to show', () => {
    assert.deepEqual(predictStage(3, null, [], at), {
      done: 0,
      total: 3,
      assignment: null,
      model: null,
      version: null,
      success: false,
      versions: [],
    });
  });

  it('a pinned version without a folder yet counts 0 of the partitions', () => {
    const s = predictStage(4, pin, [], at);
    assert.deepEqual([s.done, s.total, s.model, s.version, s.success], [0, 4, 'salary', 2, false]);
    assert.deepEqual(s.versions, [
      { model: 'salary', version: 2, path: at('salary', 2), pinned: true, done: 0, total: 4, success: false },
    ]);
  });

  it('the pinned version is the stage, backfills by other versions are listed after it', () => {
    const s = predictStage(
      3,
      pin,
      [listing('salary', 1, [0, 1, 2], true), listing('salary', 3, [0]), listing('salary', 2, [0, 2])],
      at,
    );
    assert.deepEqual([s.done, s.total, s.model, s.version, s.success], [2, 3, 'salary', 2, false]);
    assert.deepEqual(
      s.versions.map((v) => [v.version, v.pinned, v.done, v.success]),
      [
        [2, true, 2, false],
        [3, false, 1, false],
        [1, false, 3, true],
      ],
    );
  });

  it('without a pin the stage shows the first backfill, newest version first', () => {
    const s = predictStage(
      2,
      null,
      [listing('salary', 1, [0, 1], true), listing('salary', 4, [0, 1], true)],
      at,
    );
    assert.deepEqual([s.done, s.total, s.version, s.success, s.assignment], [2, 2, 4, true, null]);
  });

  it('before the manifest is read the total follows the partials', () => {
    const s = predictStage(null, null, [listing('m', 1, [0, 4])], at);
    assert.deepEqual([s.done, s.total], [2, 5]);
  });
});
