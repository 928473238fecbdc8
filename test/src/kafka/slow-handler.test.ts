import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createKafkaRunner } from '@lakestream/kafka';
import {
  brokers,
  codec,
  countByKey,
  createTopics,
  deleteTopics,
  fastRetry,
  publish,
  readAll,
  sleepMs,
  uniqueName,
  waitFor,
} from './helpers';

const created: string[] = [];
after(() => deleteTopics(created));

test('a handler 2.5x longer than the session timeout completes without a rebalance and without duplicates', async () => {
  const input = uniqueName('ks-in');
  const output = uniqueName('ks-out');
  created.push(input, output);
  await createTopics([input, output], 1);
  await publish(input, [
    { key: 'slow', value: { ms: 15_000 } },
    { key: 'fast', value: { ms: 0 } },
  ]);
  const calls = new Map<string, number>();
  const runner = createKafkaRunner<{ ms: number }>({
    brokers: brokers(),
    clientId: 'kafka-test',
    groupId: uniqueName('ks-group'),
    topics: [input],
    codec,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 1000,
    rebalanceTimeoutMs: 6000,
    retry: fastRetry,
    handler: async (message, ctx) => {
      const key = message.key ?? '';
      calls.set(key, (calls.get(key) ?? 0) + 1);
      await sleepMs(message.value.ms);
      await ctx.send(output, key, { key });
    },
  });
  await runner.start();
  try {
    await waitFor(() => runner.metrics().messagesHandled >= 2, 45_000, 'both messages handled');
  } finally {
    await runner.stop();
  }
  const metrics = runner.metrics();
  assert.equal(metrics.groupJoins, 1, 'the member joined once: no rebalance during the long handler');
  assert.deepEqual(Object.fromEntries(calls), { slow: 1, fast: 1 });
  assert.ok(metrics.handlerSeconds >= 15, `handler time ${metrics.handlerSeconds}`);
  const outputs = await readAll(output, { expected: 2 });
  assert.deepEqual(Object.fromEntries(countByKey(outputs)), { slow: 1, fast: 1 });
});

test('stop() lets the in-flight handler finish and commits it before leaving the group', async () => {
  const input = uniqueName('kg-in');
  const output = uniqueName('kg-out');
  const groupId = uniqueName('kg-group');
  created.push(input, output);
  await createTopics([input, output], 1);
  await publish(input, [
    { key: 'a', value: { ms: 3000 } },
    { key: 'b', value: { ms: 0 } },
  ]);
  let started = false;
  const handled: string[] = [];
  const options = {
    brokers: brokers(),
    clientId: 'kafka-test',
    groupId,
    topics: [input],
    codec,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    rebalanceTimeoutMs: 3000,
    retry: fastRetry,
    handler: async (
      message: { key: string | null; value: { ms: number } },
      ctx: { send: (t: string, k: string, v: unknown) => Promise<void> },
    ) => {
      started = true;
      await sleepMs(message.value.ms);
      await ctx.send(output, message.key ?? '', { key: message.key });
      handled.push(message.key ?? '');
    },
  };
  const first = createKafkaRunner(options);
  await first.start();
  await waitFor(() => started, 30_000, 'the first handler to start');
  await first.stop();
  assert.deepEqual(handled, ['a'], 'the in-flight message finished; the next one did not start');
  assert.equal(first.metrics().messagesHandled, 1);

  // A new member of the same group goes on from the committed offset: only b is left.
  const second = createKafkaRunner(options);
  await second.start();
  try {
    await waitFor(() => second.metrics().messagesHandled >= 1, 30_000, 'b handled');
    await sleepMs(1000);
  } finally {
    await second.stop();
  }
  assert.deepEqual(handled, ['a', 'b']);
  const outputs = await readAll(output, { expected: 2 });
  assert.deepEqual(Object.fromEntries(countByKey(outputs)), { a: 1, b: 1 });
});

test('stop() past its grace period aborts the handler and commits nothing: the message is redelivered', async () => {
  const input = uniqueName('ka-in');
  const output = uniqueName('ka-out');
  const groupId = uniqueName('ka-group');
  created.push(input, output);
  await createTopics([input, output], 1);
  await publish(input, [{ key: 'stuck', value: { ms: 60_000 } }]);
  let attempts = 0;
  const options = {
    brokers: brokers(),
    clientId: 'kafka-test',
    groupId,
    topics: [input],
    codec,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    rebalanceTimeoutMs: 3000,
    shutdownTimeoutMs: 1000,
    retry: fastRetry,
  };
  const first = createKafkaRunner<{ ms: number }>({
    ...options,
    handler: async (message, ctx) => {
      attempts++;
      await ctx.send(output, message.key, { partial: true });
      // Work that honours the abort signal, as handlers must.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, message.value.ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  });
  await first.start();
  await waitFor(() => attempts === 1, 30_000, 'the handler to start');
  const stopping = Date.now();
  await first.stop();
  const stopSeconds = (Date.now() - stopping) / 1000;
  assert.ok(stopSeconds < 5, `stop() returned ${stopSeconds} s after the grace period began`);
  assert.equal(first.metrics().messagesHandled, 0);

  const second = createKafkaRunner<{ ms: number }>({
    ...options,
    handler: async (message, ctx) => {
      attempts++;
      await ctx.send(output, message.key, { partial: false });
    },
  });
  await second.start();
  try {
    await waitFor(() => second.metrics().messagesHandled === 1, 30_000, 'the redelivered message handled');
  } finally {
    await second.stop();
  }
  assert.equal(attempts, 2);
  const outputs = await readAll(output, { expected: 1 });
  assert.deepEqual(
    outputs.map((o) => o.value),
    [{ partial: false }],
    'nothing of the aborted attempt was committed',
  );
});
