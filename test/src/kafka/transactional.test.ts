import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LakeError } from '@lakestream/core';
import { createKafkaDriver, createKafkaRunner, ProducerFencedError } from '@lakestream/kafka';
import {
  brokers,
  codec,
  countByKey,
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

async function consumeTransform(transactional: boolean) {
  const input = uniqueName('kt-in');
  const output = uniqueName('kt-out');
  const groupId = uniqueName('kt-group');
  created.push(input, output);
  await createTopics([input, output], 3);
  const n = 30;
  await publish(
    input,
    Array.from({ length: n }, (_, i) => ({ key: `k-${i}`, value: { n: i }, partition: i % 3 })),
  );
  const calls = new Map<string, number>();
  const runner = createKafkaRunner<{ n: number }>({
    brokers: brokers(),
    clientId: 'kafka-test',
    groupId,
    topics: [input],
    codec,
    concurrency: 2,
    transactional,
    retry: fastRetry,
    ...fastGroup,
    handler: async (message, ctx) => {
      const key = message.key ?? '';
      calls.set(key, (calls.get(key) ?? 0) + 1);
      await ctx.send(output, key, { from: key, doubled: message.value.n * 2 });
      // An outage after the handler buffered its output: nothing of this attempt may appear.
      if (message.value.n % 7 === 3 && ctx.attempt === 1) {
        throw new LakeError('registry briefly down', { retriable: true });
      }
    },
  });
  await runner.start();
  try {
    await waitFor(() => runner.metrics().messagesHandled >= n, 45_000, `${n} messages handled`);
    const lag = await runner.lag();
    assert.deepEqual(
      lag.map((l) => l.lag),
      [0, 0, 0],
      `no lag left: ${JSON.stringify(lag)}`,
    );
  } finally {
    await runner.stop();
  }
  const metrics = runner.metrics();
  const outputs = await readAll(output, { expected: n });
  return { n, outputs, metrics, calls };
}

test('transactional consume-transform-produce: N inputs give exactly N committed outputs', async () => {
  const { n, outputs, metrics, calls } = await consumeTransform(true);
  const counts = countByKey(outputs);
  assert.equal(outputs.length, n, 'one committed output per input');
  assert.equal(counts.size, n);
  for (let i = 0; i < n; i++) {
    assert.equal(counts.get(`k-${i}`), 1, `k-${i} once`);
    const record = outputs.find((o) => o.key === `k-${i}`);
    assert.deepEqual(record?.value, { from: `k-${i}`, doubled: i * 2 });
  }
  const retried = [...calls].filter(([, c]) => c === 2).map(([k]) => k);
  assert.deepEqual(retried.sort(), ['k-10', 'k-17', 'k-24', 'k-3'], 'retriable failures were retried once');
  assert.equal(metrics.messagesHandled, n);
  assert.equal(metrics.messagesProduced, n);
  assert.equal(metrics.deadLettered, 0);
  assert.equal(metrics.retries, 4);
});

test('at-least-once fallback (idempotent producer, then commit) gives the same outputs', async () => {
  const { n, outputs, metrics } = await consumeTransform(false);
  assert.equal(outputs.length, n);
  assert.equal(countByKey(outputs).size, n);
  assert.equal(metrics.messagesHandled, n);
});

test('taking a partition fences a zombie holding its transactional id: the zombie cannot commit', async () => {
  const input = uniqueName('kz-in');
  const output = uniqueName('kz-out');
  const groupId = uniqueName('kz-group');
  created.push(input, output);
  await createTopics([input, output], 1);
  await publish(input, [{ key: 'k-0', value: { n: 0 } }]);
  // A member that lost partition 0 but still runs: its transaction is open, output sent.
  const zombie = createKafkaDriver({ brokers: brokers(), clientId: 'zombie' }).transactionalProducer(
    `${groupId}-${input}-0`,
  );
  await zombie.initTransactions();
  const txn = await zombie.begin();
  await txn.send([{ topic: output, key: 'zombie', value: await codec.encode(output, { from: 'zombie' }) }]);

  const runner = createKafkaRunner<{ n: number }>({
    brokers: brokers(),
    clientId: 'kafka-test',
    groupId,
    topics: [input],
    codec,
    retry: fastRetry,
    ...fastGroup,
    handler: async (message, ctx) => {
      await ctx.send(output, message.key, { from: message.key });
    },
  });
  await runner.start();
  try {
    await waitFor(() => runner.metrics().messagesHandled >= 1, 30_000, 'the input handled');
  } finally {
    await runner.stop();
  }
  await assert.rejects(
    (async () => {
      await txn.sendOffsets({ groupId, topic: input, partition: 0, nextOffset: '1' });
      await txn.commit();
    })(),
    ProducerFencedError,
  );
  await txn.abort();
  await zombie.disconnect();
  const outputs = await readAll(output, { expected: 1 });
  assert.deepEqual(
    outputs.map((o) => o.key),
    ['k-0'],
  );
});

test('two stages in a chain: the second reads the first one transactional output, exactly N, no lag left', async () => {
  const input = uniqueName('kp-in');
  const middle = uniqueName('kp-mid');
  const output = uniqueName('kp-out');
  created.push(input, middle, output);
  await createTopics([input, middle, output], 2);
  const n = 20;
  await publish(
    input,
    Array.from({ length: n }, (_, i) => ({ key: `k-${i}`, value: { n: i }, partition: i % 2 })),
  );
  const stage = (from: string, to: string) =>
    createKafkaRunner<{ n: number }>({
      brokers: brokers(),
      clientId: `stage-${from}`,
      groupId: uniqueName('kp-group'),
      topics: [from],
      codec,
      retry: fastRetry,
      ...fastGroup,
      handler: async (message, ctx) => {
        await ctx.send(to, message.key, { n: message.value.n + 1 });
      },
    });
  const first = stage(input, middle);
  const second = stage(middle, output);
  await first.start();
  await second.start();
  try {
    await waitFor(() => second.metrics().messagesHandled >= n, 45_000, `${n} through both stages`);
    // The middle topic holds a commit marker after every record: committed offsets skip them.
    const lag = await second.lag();
    assert.deepEqual(
      lag.map((l) => l.lag),
      [0, 0],
      `the second stage committed past the commit markers: ${JSON.stringify(lag)}`,
    );
    assert.ok(
      lag.every((l) => l.end > n / 2),
      'the middle topic has more offsets than records',
    );
  } finally {
    await first.stop();
    await second.stop();
  }
  const outputs = await readAll(output, { expected: n });
  assert.equal(outputs.length, n);
  assert.deepEqual(
    outputs.map((o) => (o.value as { n: number }).n).sort((a, b) => a - b),
    Array.from({ length: n }, (_, i) => i + 2),
  );
});
