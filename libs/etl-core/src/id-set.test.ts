import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdSet, int64Words } from './id-set';

test('IdSet keeps each 64-bit id once, through growth, including zero, negatives and the smallest int64', () => {
  const ids = new BigInt64Array(20_000);
  const rand = (k: number) => BigInt.asIntN(64, BigInt(k) * 0x9e3779b97f4a7c15n);
  for (let i = 0; i < ids.length; i++) ids[i] = i % 3 === 0 ? rand(i % 5000) : rand(i);
  ids[7] = 0n;
  ids[8] = -(2n ** 63n);
  ids[9] = -1n;
  ids[10] = -(2n ** 63n);
  const words = int64Words(ids);
  const set = new IdSet(16);
  const reference = new Set<bigint>();
  for (let i = 0; i < ids.length; i++) {
    assert.equal(set.addWords(words[2 * i]!, words[2 * i + 1]!), !reference.has(ids[i]!), `row ${i}`);
    reference.add(ids[i]!);
  }
  assert.equal(set.size, reference.size);
  const numbers = new IdSet(4);
  assert.equal(numbers.add(-5), true);
  assert.equal(numbers.add(2 ** 40 + 3), true);
  assert.equal(numbers.add(-5), false);
  assert.equal(numbers.addWords(3, 256), false, '2^40 + 3 as words');
});
