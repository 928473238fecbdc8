import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { throughput, topicLag } from './lag';

describe('topicLag', () => {
  it('sums per-partition lag; no committed offset counts from the low watermark', () => {
    const lag = topicLag('lake.chunks.raw', [
      { partition: 1, committed: -1, low: 2, high: 5 },
      { partition: 0, committed: 7, low: 0, high: 10 },
      { partition: 2, committed: 4, low: 0, high: 4 },
    ]);
    assert.equal(lag.lag, 3 + 3 + 0);
    assert.equal(lag.end, 19);
    assert.equal(lag.position, 2 + 7 + 4);
    assert.deepEqual(
      lag.partitions.map((p) => [p.partition, p.committed, p.end, p.lag]),
      [
        [0, 7, 10, 3],
        [1, -1, 5, 3],
        [2, 4, 4, 0],
      ],
    );
  });

  it('never reports negative lag', () => {
    assert.equal(topicLag('t', [{ partition: 0, committed: 9, low: 0, high: 8 }]).lag, 0);
  });
});

describe('throughput', () => {
  it('is messages per second between two samples', () => {
    assert.equal(throughput({ position: 10, at: 1000 }, { position: 40, at: 4000 }), 10);
    assert.equal(throughput(undefined, { position: 40, at: 4000 }), null);
    assert.equal(throughput({ position: 10, at: 4000 }, { position: 40, at: 4000 }), null);
  });
});
