import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchListing, summariseBatch } from './batch-status';

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
