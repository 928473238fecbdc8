import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError, LakeError } from '@lakestream/core';
import type { Committer } from './committer';
import type { FetchedBatch, OutgoingRecord, RawMessage } from './driver';
import { KafkaUnavailableError, ProducerFencedError } from './errors';
import { JsonCodec } from './json-codec';
import { MessageProcessor, type MessageProcessorOptions } from './message-processor';
import { RunnerMetrics } from './metrics';
import type { DeadLetter, MessageHandler } from './types';

const codec = new JsonCodec();
const quiet = { info() {}, warn() {}, error() {} };

class RecordingCommitter implements Committer {
  commits: { offset: string; records: OutgoingRecord[] }[] = [];
  failures: Error[] = [];
  async prepare(): Promise<void> {}
  async commit(_batch: FetchedBatch, offset: string, records: OutgoingRecord[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.commits.push({ offset, records });
  }
  async close(): Promise<void> {}
}

const batch: FetchedBatch = {
  topic: 'in',
  partition: 2,
  messages: [],
  lastOffset: '0',
  heartbeat: async () => {},
  resolveOffset: () => {},
  commitOffset: async () => {},
  isRunning: () => true,
  isStale: () => false,
};

async function message(offset: string, value: unknown): Promise<RawMessage> {
  const bytes = Buffer.isBuffer(value) ? value : await codec.encode('in', value);
  return { offset, key: Buffer.from(`key-${offset}`), value: bytes, headers: { trace: 't1' } };
}

function processor(handler: MessageHandler, overrides: Partial<MessageProcessorOptions> = {}) {
  const committer = new RecordingCommitter();
  const metrics = new RunnerMetrics();
  const p = new MessageProcessor({
    codec,
    handler,
    committer,
    maxAttempts: 3,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
    dlq: { enabled: true, topicSuffix: '.dlq', service: 'svc' },
    metrics,
    logger: quiet,
    stopSignal: new AbortController().signal,
    abortSignal: new AbortController().signal,
    ...overrides,
  });
  return { p, committer, metrics };
}

test('a handled message commits its buffered downstream records with its offset', async () => {
  const { p, committer, metrics } = processor(async (m, ctx) => {
    assert.deepEqual(m.value, { a: 1 });
    assert.equal(m.key, 'key-7');
    assert.deepEqual(m.headers, { trace: 't1' });
    await ctx.send('out', 'k', { b: 2 }, { h: 'x' });
  });
  assert.equal(await p.process(batch, await message('7', { a: 1 })), 'committed');
  assert.equal(committer.commits.length, 1);
  assert.equal(committer.commits[0].offset, '7');
  const [record] = committer.commits[0].records;
  assert.equal(record.topic, 'out');
  assert.deepEqual(await codec.decode(record.value), { b: 2 });
  assert.deepEqual(record.headers, { h: 'x' });
  assert.equal(metrics.messagesHandled, 1);
  assert.equal(metrics.messagesProduced, 1);
});

test('bad input is tried maxAttempts times, then dead-lettered with its error; failed attempts send nothing', async () => {
  let calls = 0;
  const { p, committer, metrics } = processor(async (_m, ctx) => {
    calls++;
    await ctx.send('out', 'k', { partial: true });
    throw new InvalidInputError('age is negative', 'age');
  });
  const raw = await message('11', { a: 1 });
  assert.equal(await p.process(batch, raw), 'dead-lettered');
  assert.equal(calls, 3);
  assert.equal(committer.commits.length, 1);
  const [record] = committer.commits[0].records;
  assert.equal(record.topic, 'in.dlq');
  assert.equal(record.key, 'key-11');
  const letter = (await codec.decode(record.value)) as DeadLetter;
  assert.equal(letter.error, 'age is negative');
  assert.equal(letter.errorName, 'InvalidInputError');
  assert.equal(letter.attempts, 3);
  assert.equal(letter.originalOffset, 11);
  assert.equal(letter.originalPartition, 2);
  assert.equal(letter.service, 'svc');
  assert.deepEqual(letter.value, raw.value);
  assert.equal(metrics.deadLettered, 1);
  assert.equal(metrics.failures, 3);
  assert.equal(metrics.messagesHandled, 0);
});

test('an outage is retried past maxAttempts and never dead-letters the message', async () => {
  let calls = 0;
  const { p, committer } = processor(async () => {
    calls++;
    if (calls < 7) throw new LakeError('namenode down', { retriable: true });
  });
  assert.equal(await p.process(batch, await message('1', {})), 'committed');
  assert.equal(calls, 7);
  assert.deepEqual(
    committer.commits.map((c) => c.records.length),
    [0],
  );
});

test('an undecodable payload goes to the DLQ at once, without reaching the handler', async () => {
  let calls = 0;
  const { p, committer } = processor(async () => {
    calls++;
  });
  assert.equal(await p.process(batch, await message('3', Buffer.from('{oops'))), 'dead-lettered');
  assert.equal(calls, 0);
  const letter = (await codec.decode(committer.commits[0].records[0].value)) as DeadLetter;
  assert.equal(letter.errorName, 'DecodeError');
  assert.equal(letter.attempts, 1);
});

test('a commit that fails for an outage is retried without running the handler again', async () => {
  let calls = 0;
  const { p, committer } = processor(async (_m, ctx) => {
    calls++;
    await ctx.send('out', 'k', 1);
  });
  committer.failures.push(new KafkaUnavailableError('broker down'), new KafkaUnavailableError('broker down'));
  assert.equal(await p.process(batch, await message('5', {})), 'committed');
  assert.equal(calls, 1);
  assert.equal(committer.commits.length, 1);
});

test('a fenced producer stops the batch: the error escapes and nothing is dead-lettered', async () => {
  const { p, committer } = processor(async () => {});
  committer.failures.push(new ProducerFencedError('g-in-2'));
  await assert.rejects(p.process(batch, await message('5', {})), ProducerFencedError);
  assert.equal(committer.commits.length, 0);
});

test('shutdown abandons a message that is waiting out an outage, and one whose handler was aborted', async () => {
  const stop = new AbortController();
  const { p, committer } = processor(
    async () => {
      stop.abort();
      throw new LakeError('down', { retriable: true });
    },
    { stopSignal: stop.signal },
  );
  assert.equal(await p.process(batch, await message('1', {})), 'abandoned');
  assert.equal(committer.commits.length, 0);

  const abort = new AbortController();
  const second = processor(
    async (_m, ctx) => {
      abort.abort();
      assert.ok(ctx.signal.aborted);
    },
    { abortSignal: abort.signal },
  );
  assert.equal(await second.p.process(batch, await message('2', {})), 'abandoned');
  assert.equal(second.committer.commits.length, 0);
});

test('the metrics listener hears every failure, the dead letter and each handled message', async () => {
  const events: string[] = [];
  const listener = {
    handled: (e: { topic: string; produced: number; seconds: number }) => {
      assert.ok(e.seconds >= 0);
      events.push(`handled ${e.topic} ${e.produced}`);
    },
    failed: (e: { attempt: number; retriable: boolean }) => events.push(`failed ${e.attempt} ${e.retriable}`),
    deadLettered: (e: { dlqTopic: string; attempts: number }) =>
      events.push(`dlq ${e.dlqTopic} ${e.attempts}`),
  };
  const { p } = processor(
    async (m, ctx) => {
      if ((m.value as { bad?: boolean }).bad) throw new InvalidInputError('bad');
      await ctx.send('out', 'k', 1);
    },
    { listener, maxAttempts: 2 },
  );
  await p.process(batch, await message('1', { bad: true }));
  await p.process(batch, await message('2', {}));
  assert.deepEqual(events, ['failed 1 false', 'failed 2 false', 'dlq in.dlq 2', 'handled in 1']);
});
