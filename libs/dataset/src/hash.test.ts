import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPython } from '@lakestream/testkit';
import { hashPartition, hashPartitions, hashPartitionsOfRange } from './hash';

/** The documented hash, written independently in Python. */
const PYTHON_HASH = `
import sys, json
M = 0xFFFFFFFF
def mix32(x):
    x ^= x >> 16; x = (x * 0x7feb352d) & M
    x ^= x >> 15; x = (x * 0x846ca68b) & M
    x ^= x >> 16; return x
def partition(i, p):
    lo, hi = i & M, i >> 32
    h = mix32(lo ^ mix32(hi ^ 0x6c616b65))
    return (h * p) >> 32
ids = json.loads(sys.argv[1]); p = int(sys.argv[2])
print(json.dumps([partition(i, p) for i in ids]))
`;

const IDS = [
  0,
  1,
  2,
  3,
  41,
  4_999_999,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 32 + 7,
  123_456_789_012,
  2 ** 53 - 1,
];

describe('hashPartition', () => {
  test('matches an independent Python implementation of the documented formula', () => {
    for (const partitions of [1, 7, 30, 1000]) {
      const expected = JSON.parse(runPython(PYTHON_HASH, [JSON.stringify(IDS), String(partitions)]));
      assert.deepEqual(
        IDS.map((id) => hashPartition(id, partitions)),
        expected,
        `${partitions} partitions`,
      );
      const big = [2n ** 53n + 1n, 2n ** 63n - 1n];
      const bigExpected = JSON.parse(runPython(PYTHON_HASH, [`[${big.join(',')}]`, String(partitions)]));
      assert.deepEqual(
        big.map((id) => hashPartition(id, partitions)),
        bigExpected,
      );
      assert.deepEqual([...hashPartitions(BigInt64Array.from(big), partitions)], bigExpected);
    }
  });

  test('the number, bigint, int64-column and range forms agree', () => {
    const ids = BigInt64Array.from(IDS.map(BigInt));
    const fromColumn = hashPartitions(ids, 30);
    IDS.forEach((id, i) => {
      assert.equal(hashPartition(BigInt(id), 30), hashPartition(id, 30));
      assert.equal(fromColumn[i], hashPartition(id, 30));
    });
    for (const first of [0, 2 ** 32 - 3]) {
      const range = hashPartitionsOfRange(first, 6, 13, new Uint32Array(6));
      assert.deepEqual(
        [...range],
        [0, 1, 2, 3, 4, 5].map((k) => hashPartition(first + k, 13)),
      );
    }
  });

  test('spreads consecutive ids evenly', () => {
    const partitions = 30;
    const n = 300_000;
    const counts = new Uint32Array(partitions);
    for (const p of hashPartitionsOfRange(0, n, partitions, new Uint32Array(n))) counts[p]++;
    const expected = n / partitions;
    const sd = Math.sqrt(expected * (1 - 1 / partitions));
    for (const c of counts) assert.ok(Math.abs(c - expected) < 5 * sd, `count ${c} vs ${expected}`);
  });
});
