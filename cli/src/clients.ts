import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec, lakeTopicSpecs, type RegistryCodec } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsClient, readJsonFile } from '@lakestream/hdfs';
import { createProducer, ensureTopics, type Producer } from '@lakestream/kafka';

/** The clients a command needs, built from the configuration; close() releases them. */
export interface Clients {
  hdfs: HdfsClient;
  paths: LakePaths;
  codec: RegistryCodec;
  producer(): Promise<Producer>;
  /** A small JSON file in HDFS, or undefined when it does not exist. */
  readJson<T>(path: string): Promise<T | undefined>;
  close(): Promise<void>;
}

export function lakeClients(config: LakeConfig): Clients {
  const codec = createRegistryCodec({ url: config.registry.url });
  let producer: Producer | undefined;
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  return {
    hdfs,
    paths: new LakePaths(config.hdfs.lakeRoot),
    codec,
    async producer() {
      if (!producer) {
        producer = createProducer({
          brokers: config.kafka.brokers,
          clientId: `${config.kafka.clientId}-cli`,
          codec,
        });
        // Publishing may come before any service created the lake topics (a fresh stack).
        await ensureTopics(config.kafka.brokers, lakeTopicSpecs(config.kafka));
        await producer.connect();
      }
      return producer;
    },
    readJson: <T>(path: string) => readJsonFile<T>(hdfs, path),
    async close() {
      await producer?.disconnect();
      hdfs.close();
    },
  };
}
