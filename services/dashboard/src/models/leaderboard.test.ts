import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrialScore } from '@lakestream/models';
import { CURVE_AGES, curveColumns, leaderboard } from './leaderboard';

const trial = (name: string, rung: number, cvMse: number | null): TrialScore => ({
  trial: name,
  params: { maxDepth: rung },
  rung,
  cvMse,
  foldMse: [cvMse],
  rows: 10,
  trainMs: 1,
});

describe('leaderboard', () => {
  it('ranks by rung, then CV MSE; failed trials last', () => {
    const ranked = leaderboard([trial('a', 0, 5), trial('b', 1, 9), trial('c', 0, null), trial('d', 0, 3)]);
    assert.deepEqual(
      ranked.map((t) => [t.rank, t.trial]),
      [
        [1, 'b'],
        [2, 'd'],
        [3, 'a'],
        [4, 'c'],
      ],
    );
  });
});

describe('curveColumns', () => {
  it('follows the model feature order', () => {
    assert.deepEqual(curveColumns(['is_active', 'age'], 1), [CURVE_AGES.map(() => 1), CURVE_AGES]);
    assert.deepEqual(curveColumns(['age'], null), [CURVE_AGES]);
    assert.equal(CURVE_AGES[0], 18);
    assert.equal(CURVE_AGES.at(-1), 80);
  });
  it('has no curve for models that need other features', () => {
    assert.equal(curveColumns(['age', 'tenure'], 0), undefined);
    assert.equal(curveColumns(['is_active'], 0), undefined);
  });
});
