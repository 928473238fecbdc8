import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { assignFolds, inSample, TEST_FOLD } from './folds';
import { gridCandidates } from './grid';
import { SuccessiveHalving } from './halving';
import { randomCandidates } from './random';
import { paramsKey, STUDY_GRID, validateSpace } from './space';

test('the study grid expands to its 8 combinations, each once', () => {
  const grid = gridCandidates(STUDY_GRID);
  assert.equal(grid.length, 8);
  assert.equal(new Set(grid.map(paramsKey)).size, 8);
  assert.deepEqual(grid[0], { nEstimators: 50, maxDepth: 10, minSamplesSplit: 2 });
  assert.ok(grid.some((p) => p.nEstimators === 100 && p.maxDepth === null && p.minSamplesSplit === 5));
});

test('random search is deterministic per seed, stays in range and draws every integer of a range', () => {
  const space = validateSpace({
    maxDepth: { type: 'int', low: 2, high: 5 },
    maxFeatures: { type: 'float', low: 0.1, high: 1 },
    bootstrap: [true, false],
  });
  const a = randomCandidates(space, 40, 7);
  assert.deepEqual(randomCandidates(space, 40, 7), a);
  assert.notDeepEqual(randomCandidates(space, 40, 8), a);
  const depths = new Set(a.map((p) => p.maxDepth));
  assert.deepEqual([...depths].sort(), [2, 3, 4, 5]);
  for (const p of a) assert.ok((p.maxFeatures as number) >= 0.1 && (p.maxFeatures as number) <= 1);
  assert.equal(
    randomCandidates({ x: [1, 2] }, 10, 1).length,
    2,
    'a small discrete space yields all its points, no repeats',
  );
});

test('a bad space is refused naming the parameter', () => {
  assert.throws(
    () => validateSpace({ depth: [] }),
    (e: unknown) => e instanceof InvalidInputError && /depth: empty list/.test(e.message),
  );
  assert.throws(
    () => validateSpace({ lr: { type: 'float', low: 0, high: 1, log: true } }),
    /lr: a log scale needs low > 0/,
  );
  assert.throws(
    () => gridCandidates({ d: { type: 'int', low: 1, high: 3 } }),
    /grid search needs a list for d/,
  );
});

test('folds and the split come from the id alone, with the requested proportions', () => {
  const n = 200_000;
  const ids = Float64Array.from({ length: n }, (_, i) => i * 7 + 3);
  const folds = assignFolds(ids, 3, 0.2, 42);
  const shuffled = Float64Array.from(ids).reverse();
  const again = assignFolds(shuffled, 3, 0.2, 42).reverse();
  assert.deepEqual(again, folds, 'order does not matter');
  const counts = [0, 0, 0, 0];
  for (const f of folds) counts[f === TEST_FOLD ? 3 : f]! += 1;
  assert.ok(Math.abs(counts[3]! / n - 0.2) < 0.005, `test fraction ${counts[3]! / n}`);
  for (let k = 0; k < 3; k++)
    assert.ok(Math.abs(counts[k]! / n - 0.8 / 3) < 0.005, `fold ${k}: ${counts[k]! / n}`);
  const small = ids.filter((id) => inSample(id, 0.1, 42));
  assert.ok(
    small.every((id) => inSample(id, 0.3, 42)),
    'a smaller halving sample is inside a larger one',
  );
});

test('successive halving keeps the best third each rung and ends on all rows', () => {
  const candidates = Array.from({ length: 9 }, (_, i) => ({ i }));
  const sh = new SuccessiveHalving(candidates, { eta: 3 });
  assert.equal(sh.rungs, 3);
  let rung = sh.first();
  assert.equal(rung.fraction, 1 / 9);
  const score = (p: { i: unknown }) => Math.abs((p.i as number) - 4);
  const seen: number[][] = [];
  while (rung) {
    seen.push(rung.candidates.map((p) => p.i as number));
    const next = sh.next(
      rung,
      new Map(rung.candidates.map((p) => [paramsKey(p), score(p as { i: unknown })])),
    );
    if (!next) break;
    rung = next;
  }
  assert.deepEqual(seen, [[0, 1, 2, 3, 4, 5, 6, 7, 8], [4, 3, 5], [4]]);
  assert.equal(rung.fraction, 1);
});
