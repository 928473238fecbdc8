import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchListing, partitionNumbers, partitionProgress, summariseBatch } from './batch-status';

const base: BatchListing = {
  dataset: 'employees',
  batch: 'b1',
  folderTime: 1000,
  rawFiles: 0,
  manifest: false,
  published: false,
  partials: 0,
  report: false,
  cleanSuccess: false,
};

describe('summariseBatch', () => {
  it('a batch still being written has no known partition count yet', () => {
    const s = summariseBatch({ ...base, rawFiles: 2 });
    assert.equal(s.state, 'publishing');
    assert.equal(s.partitions, null);
    assert.equal(s.createdAt, 1000);
    assert.deepEqual(s.stages.raw, { done: 2, total: 2, manifest: false, published: false });
  });

  it('follows the stages: published, cleaning, reporting, done', () => {
    const known = { ...base, partitions: 4, rows: 100, bytes: 10, createdAt: 5, rawFiles: 4, manifest: true };
    assert.equal(summariseBatch({ ...known, published: true }).state, 'published');
    const cleaning = summariseBatch({ ...known, published: true, partials: 3 });
    assert.equal(cleaning.state, 'cleaning');
    assert.deepEqual(cleaning.stages.etl, { done: 3, total: 4 });
    assert.equal(summariseBatch({ ...known, published: true, partials: 4 }).state, 'reporting');
    const report = { rowsIn: 100, rowsOut: 90, seconds: 1, rowsPerSecond: 100 };
    const done = summariseBatch(
      { ...known, published: true, partials: 4, report: true, cleanSuccess: true },
      report,
    );
    assert.equal(done.state, 'done');
    assert.equal(done.createdAt, 5);
    assert.deepEqual(done.stages.report, { done: 1, total: 1 });
    assert.deepEqual(done.stages.clean, { done: 1, total: 1 });
    assert.deepEqual(done.report, report);
  });

  it('a report without clean/_SUCCESS is not done yet', () => {
    const s = summariseBatch({ ...base, partitions: 1, rawFiles: 1, partials: 1, report: true });
    assert.equal(s.state, 'reporting');
  });
});

describe('per-partition progress', () => {
  it('reads partition numbers from part files only', () => {
    const entries = [
      { name: 'part-00000.parquet', type: 'FILE' },
      { name: 'part-00002.parquet', type: 'FILE' },
      { name: 'part-00001.json', type: 'FILE' },
      { name: '_SUCCESS', type: 'FILE' },
      { name: 'part-00003.parquet', type: 'DIRECTORY' },
    ];
    assert.deepEqual([...partitionNumbers(entries, 'parquet')], [0, 2]);
    assert.deepEqual([...partitionNumbers(entries, 'json')], [1]);
  });

  it('lists every partition of the batch, done or not', () => {
    const progress = partitionProgress(3, {
      raw: new Set([0, 1, 2]),
      clean: new Set([1]),
      partial: new Set([1]),
    });
    assert.deepEqual(
      progress.map((p) => [p.partition, p.raw, p.clean, p.partial]),
      [
        [0, true, false, false],
        [1, true, true, true],
        [2, true, false, false],
      ],
    );
    assert.equal(partitionProgress(0, { raw: new Set([4]), clean: new Set(), partial: new Set() }).length, 5);
  });
});
