import type { LakeConfig } from '@lakestream/config';
import { type ChunkDescriptor, createRegistryCodec, TOPICS } from '@lakestream/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from '../etl/pipeline';

/** Every ChunkDescriptor on lake.chunks.raw whose key starts with `prefix`, read to the topic's current end with a fresh group. */
export async function rawDescriptors(config: LakeConfig, prefix: string): Promise<ChunkDescriptor[]> {
  const kafka = new Kafka({
    clientId: 'lake-test-ingest',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = TOPICS.chunksRaw.name;
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(p.partition, BigInt(p.high));
  } finally {
    await admin.disconnect();
  }
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  const codec = createRegistryCodec({ url: config.registry.url });
  const consumer = kafka.consumer({
    groupId: uniqueName('ingest-test-reader'),
    sessionTimeout: 6000,
    rebalanceTimeout: 3000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
    readUncommitted: false,
  });
  const found: ChunkDescriptor[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    if (remaining.size === 0) resolveDone();
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (m.key?.toString().startsWith(prefix) && m.value)
            found.push((await codec.decode(m.value, topic)) as ChunkDescriptor);
        }
        const next = BigInt(batch.lastOffset()) + 1n;
        if (next >= (ends.get(batch.partition) ?? 0n)) remaining.delete(batch.partition);
        if (remaining.size === 0) resolveDone();
      },
    });
    const timeout = setTimeout(() => resolveDone(), 45_000);
    await done;
    clearTimeout(timeout);
    if (remaining.size > 0)
      throw new Error(`lake.chunks.raw partitions ${[...remaining]} not read to their end`);
  } finally {
    await consumer.disconnect();
  }
  return found;
}
