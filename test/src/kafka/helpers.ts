import { randomBytes } from 'node:crypto';
import { ensureTopics, JsonCodec, createProducer } from '@lakestream/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { stackConfig } from '../stack/config';

export const codec = new JsonCodec();

export const brokers = (): string[] => stackConfig().kafka.brokers;

/** A topic or group name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Short group timeouts, so joins and the recovery after a kill take seconds. */
export const fastGroup = { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 3000 };

export const fastRetry = { initialDelayMs: 20, maxDelayMs: 100 };

export async function createTopics(topics: string[], partitions: number): Promise<void> {
  await ensureTopics(
    brokers(),
    topics.map((topic) => ({ topic, partitions })),
  );
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({
    clientId: 'kafka-test-cleanup',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const gone = topics.flatMap((t) => [t, `${t}.dlq`]).filter((t) => existing.has(t));
    if (gone.length > 0) await admin.deleteTopics({ topics: gone });
  } finally {
    await admin.disconnect();
  }
}

export interface Input {
  key: string;
  value: unknown;
  partition?: number;
}

/** Publishes JSON values (or raw Buffers) with the library's idempotent producer. */
export async function publish(topic: string, inputs: Input[]): Promise<void> {
  const producer = createProducer({ brokers: brokers(), clientId: 'kafka-test-publisher' });
  await producer.connect();
  try {
    const records = [];
    for (const input of inputs) {
      const value = Buffer.isBuffer(input.value) ? input.value : await codec.encode(topic, input.value);
      records.push({ key: input.key, value, partition: input.partition });
    }
    await producer.send(topic, records);
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  key: string;
  value: unknown;
  partition: number;
  offset: string;
}

/**
 * Everything on `topic` as a fresh group sees it: committed transactions only (unless
 * `readUncommitted`). Reads until `expected` records arrived, then `settleMs` more so that
 * duplicates would show.
 */
export async function readAll(
  topic: string,
  options: { expected: number; settleMs?: number; timeoutMs?: number; readUncommitted?: boolean },
): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: 'kafka-test-reader', brokers: brokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    readUncommitted: options.readUncommitted ?? false,
    sessionTimeout: 6000,
    rebalanceTimeout: 3000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  const out: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        out.push({
          key: message.key?.toString() ?? '',
          value: message.value ? await codec.decode(message.value, topic) : null,
          partition,
          offset: message.offset,
        });
      },
    });
    await waitFor(
      () => out.length >= options.expected,
      options.timeoutMs ?? 30_000,
      `${options.expected} records on ${topic}`,
    );
    await sleepMs(options.settleMs ?? 1500);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleepMs(100);
  }
}

/** How many times each key occurs. */
export function countByKey(records: { key: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  return counts;
}
