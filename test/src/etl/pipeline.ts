import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec } from '@lakestream/contracts';
import { LakePaths, sleep } from '@lakestream/core';
import { HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import { createProducer, type Producer } from '@lakestream/kafka';
import { Kafka, logLevel } from 'kafkajs';

/** Clients for a test that drives the pipeline from the outside, as a user would. */
export function lake(config: LakeConfig) {
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const paths = new LakePaths(config.hdfs.lakeRoot);
  let producer: Producer | undefined;
  return {
    hdfs,
    paths,
    async producer() {
      if (!producer) {
        producer = createProducer({
          brokers: config.kafka.brokers,
          codec: createRegistryCodec({ url: config.registry.url }),
        });
        await producer.connect();
      }
      return producer;
    },
    async close() {
      await producer?.disconnect();
    },
    async readJson<T>(path: string): Promise<T | undefined> {
      try {
        return JSON.parse(
          Buffer.from(await hdfs.readFile(path, { maxBytes: 64 << 20 })).toString('utf8'),
        ) as T;
      } catch (error) {
        if (error instanceof HdfsNotFoundError) return undefined;
        throw error;
      }
    },
    /** Copies HDFS files into a local folder (for DuckDB); returns the local paths. */
    async download(files: string[], dir: string): Promise<string[]> {
      const out: string[] = [];
      for (const f of files) {
        const local = join(dir, f.replace(/[/=]/g, '_'));
        writeFileSync(local, await hdfs.readFile(f, { maxBytes: 1 << 30 }));
        out.push(local);
      }
      return out;
    },
  };
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Polls until `probe` returns a value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(300);
  }
}

/** Committed offsets of `group` have reached the end of `topic` on every partition. */
export async function groupCaughtUp(config: LakeConfig, group: string, topic: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'lake-test-lag',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return ends.every((e) => {
      const c = committed?.partitions.find((p) => p.partition === e.partition);
      return Number(e.high) === 0 || (c !== undefined && Number(c.offset) >= Number(e.high));
    });
  } finally {
    await admin.disconnect();
  }
}
