import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { InvalidInputError, LakeError } from '@lakestream/core';
import { createKafkaRunner, type DeadLetter, ensureTopics } from '@lakestream/kafka';
import {
  brokers,
  codec,
  createTopics,
  deleteTopics,
  fastGroup,
  fastRetry,
  publish,
  readAll,
  uniqueName,
  waitFor,
} from './helpers';

const created: string[] = [];
after(() => deleteTopics(created));

test('a poison message lands in <topic>.dlq after maxAttempts with its error; the ones behind it are processed', async () => {
  const input = uniqueName('kd-in');
  const output = uniqueName('kd-out');
  created.push(input, output);
  await createTopics([input, output], 1);
  assert.deepEqual(
    await ensureTopics(brokers(), [{ topic: input, partitions: 1 }]),
    [],
    'ensureTopics created the topic and its .dlq once; a second call creates nothing',
  );
  const garbage = Buffer.from('{not json');
  await publish(input, [
    { key: 'k-0', value: { row: 0 } },
    { key: 'k-1', value: { row: 1, poison: true } },
    { key: 'k-2', value: garbage },
    { key: 'k-3', value: { row: 3, flaky: true } },
    { key: 'k-4', value: { row: 4 } },
  ]);
  const calls = new Map<string, number>();
  const runner = createKafkaRunner<{ row: number; poison?: boolean; flaky?: boolean }>({
    brokers: brokers(),
    clientId: 'kafka-test',
    groupId: uniqueName('kd-group'),
    topics: [input],
    codec,
    maxAttempts: 3,
    retry: fastRetry,
    dlq: { enabled: true, service: 'dlq-test' },
    ...fastGroup,
    handler: async (message, ctx) => {
      const key = message.key ?? '';
      const count = (calls.get(key) ?? 0) + 1;
      calls.set(key, count);
      if (message.value.poison)
        throw new InvalidInputError(`row ${message.value.row}: salary is not a number`);
      // An outage lasting longer than maxAttempts: it pauses the message, never dead-letters it.
      if (message.value.flaky && count <= 5) throw new LakeError('namenode unreachable', { retriable: true });
      await ctx.send(output, key, { row: message.value.row });
    },
  });
  await runner.start();
  try {
    await waitFor(
      () => runner.metrics().messagesHandled + runner.metrics().deadLettered >= 5,
      45_000,
      'all five messages handled or dead-lettered',
    );
  } finally {
    await runner.stop();
  }
  assert.equal(calls.get('k-1'), 3, 'the poison message was tried maxAttempts times');
  assert.equal(calls.get('k-2'), undefined, 'an undecodable message never reaches the handler');
  assert.equal(calls.get('k-3'), 6, 'retriable failures are retried past maxAttempts');
  assert.equal(calls.get('k-4'), 1, 'the message behind the poison one was processed');

  const outputs = await readAll(output, { expected: 3 });
  assert.deepEqual(outputs.map((o) => o.key).sort(), ['k-0', 'k-3', 'k-4']);

  const letters = await readAll(`${input}.dlq`, { expected: 2 });
  assert.equal(letters.length, 2);
  const poison = letters.find((l) => l.key === 'k-1')?.value as DeadLetter;
  assert.equal(poison.originalTopic, input);
  assert.equal(poison.originalPartition, 0);
  assert.equal(poison.originalOffset, 1);
  assert.equal(poison.attempts, 3);
  assert.equal(poison.error, 'row 1: salary is not a number');
  assert.equal(poison.errorName, 'InvalidInputError');
  assert.equal(poison.service, 'dlq-test');
  assert.deepEqual(await codec.decode(poison.value), { row: 1, poison: true }, 'the original bytes are kept');
  assert.ok(Math.abs(poison.failedAt - Date.now()) < 120_000);
  const undecodable = letters.find((l) => l.key === 'k-2')?.value as DeadLetter;
  assert.equal(undecodable.attempts, 1);
  assert.equal(undecodable.errorName, 'DecodeError');
  assert.match(undecodable.error, /cannot decode message .*\[0\]@2/);
  assert.deepEqual(undecodable.value, garbage);
  const metrics = runner.metrics();
  assert.equal(metrics.deadLettered, 2);
  assert.equal(metrics.messagesHandled, 3);
});
