import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Partitioners } from 'kafkajs';
import { keyPartition, spreadTrialKeys } from './trial-keys';

test("keyPartition is kafkajs's default partitioner", () => {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 12 }, (_, p) => ({
    partitionId: p,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  for (const key of ['a', 'ab', 'abc', 'abcd', 'job-1/p003/f2', 'salary-1a2b3c4d/p000/f0~17', 'ünïcode/é']) {
    const expected = partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
    assert.equal(keyPartition(key, 12), expected, key);
  }
});

test('a rung of 3 folds lands on partitions 0, 1, 2; keys stay job/trial/fold', () => {
  const specs = [0, 1, 2].map((fold) => ({ job: 'salary-9f8e7d6c', trial: 'p004', fold }));
  const keys = spreadTrialKeys(specs, 12);
  assert.deepEqual(
    keys.map((k) => keyPartition(k, 12)),
    [0, 1, 2],
  );
  for (const [fold, k] of keys.entries()) assert.ok(k.startsWith(`salary-9f8e7d6c/p004/f${fold}`), k);
});
