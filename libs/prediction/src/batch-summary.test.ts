import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predictionLog, summarise } from './batch-summary';
import type { PredictionPartial } from './prediction-partial';

function partial(
  p: number,
  rows: number,
  sse: number | null,
  startedAt: number,
  seconds: number,
): PredictionPartial {
  return {
    written: {
      dataset: 'e',
      batch: 'b',
      partition: p,
      partitions: 2,
      model: 'salary',
      version: 1,
      path: `/p/part-${p}`,
      rows,
      bytes: 1,
      checksum: 'x',
      input: { path: 'i', checksum: 'c' },
      seconds,
      mse: sse === null ? null : sse / rows,
      createdAt: 0,
    },
    predicted: rows,
    sse,
    labelled: sse === null ? 0 : rows,
    startedAt,
    finishedAt: startedAt + seconds * 1000,
    timings: { readMs: 0, predictMs: 0, encodeMs: 0, writeMs: 0 },
    memory: { rssBefore: 0, rssAfter: 100 + p },
    worker: `w${p}`,
  };
}

test('summarise merges partials: rows add, MSE is total SSE over total labelled rows, wall time spans them', () => {
  const target = { dataset: 'e', batch: 'b', model: 'salary', version: 1, partitions: 2 };
  const s = summarise(target, '/dir', [partial(0, 100, 400, 1000, 2), partial(1, 300, 300, 2000, 3)]);
  assert.equal(s.rows, 400);
  assert.equal(s.mse, 700 / 400);
  assert.equal(s.seconds, 4);
  assert.equal(s.rowsPerSecond, 100);
  assert.equal(s.workerSeconds, 5);
  assert.deepEqual(s.workers, ['w0', 'w1']);
  assert.equal(s.peakRss, 101);
  const log = predictionLog(s);
  assert.match(log, /Inference time: 4\.00 seconds/);
  assert.match(log, /Mean Squared Error against the target: 1\.75 over 400 rows/);
  assert.equal(log.trim().split('\n').length, 5);
});

test('summarise without a target reports no MSE', () => {
  const target = { dataset: 'e', batch: 'b', model: 'salary', version: 1, partitions: 1 };
  const s = summarise(target, '/dir', [partial(0, 10, null, 0, 1)]);
  assert.equal(s.mse, null);
  assert.match(predictionLog(s), /MSE not computed/);
});
