import { bindsBeyondLoopback, type LakeConfig } from '@lakestream/config';
import type { ServiceName } from './service-identity';

/** What a service may say about its configuration over HTTP: endpoints and sizes, never secrets. */
export interface ConfigSummary {
  kafka: { brokers: string[]; clientId: string; topicPartitions: number };
  hdfs: { namenodeUrl: string; user: string; lakeRoot: string };
  registry: { url: string };
  http: { host: string; port: number; tokenRequired: boolean };
  workers: { concurrency: number };
  log: { level: string };
}

export function configSummary(config: LakeConfig, service: ServiceName, port?: number): ConfigSummary {
  return {
    kafka: {
      brokers: [...config.kafka.brokers],
      clientId: config.kafka.clientId,
      topicPartitions: config.kafka.topicPartitions,
    },
    hdfs: { namenodeUrl: config.hdfs.namenodeUrl, user: config.hdfs.user, lakeRoot: config.hdfs.lakeRoot },
    registry: { url: config.registry.url },
    http: {
      host: config.http.host,
      port: port ?? config.http.ports[service],
      tokenRequired: bindsBeyondLoopback(config.http.host),
    },
    workers: { concurrency: config.workers.concurrency },
    log: { level: config.log.level },
  };
}
