import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import type { ClusterHost } from './plan';
import type { ClusterState } from './state';

export const infraHost = (s: ClusterState): ClusterHost => s.plan.hosts.find((h) => h.role === 'infra')!;
export const workerHosts = (s: ClusterState): ClusterHost[] =>
  s.plan.hosts.filter((h) => h.role === 'worker');
export const hostDir = (s: ClusterState, host: ClusterHost): string => join(s.dir, host.name);

/** Where the infrastructure host's servers answer, as a client anywhere on the cluster's network names them. */
export function endpoints(s: ClusterState) {
  const { address } = infraHost(s);
  const { ports } = s.base.stack;
  return {
    brokers: [`${address}:${ports.kafka}`],
    namenodeUrl: `http://${address}:${ports.namenodeHttp}`,
    registryUrl: `http://${address}:${ports.registry}/apis/ccompat/v7`,
  };
}

/** The stack configuration of one host: its servers listen on its own address only, data in its folder. */
export function hostStackConfig(s: ClusterState, host: ClusterHost): LakeConfig {
  const e = endpoints(s);
  return {
    ...s.base,
    kafka: { ...s.base.kafka, brokers: e.brokers },
    hdfs: { ...s.base.hdfs, namenodeUrl: e.namenodeUrl },
    registry: { url: e.registryUrl },
    stack: {
      ...s.base.stack,
      host: host.address,
      namenodeHost: host.role === 'infra' ? '' : infraHost(s).address,
      hdfsReplication: s.replication,
      dataDir: join(hostDir(s, host), 'stack'),
    },
  };
}

/** What a client in this namespace (a test, the CLI, a benchmark) uses to reach the cluster. */
export function clientConfig(s: ClusterState): LakeConfig {
  return { ...hostStackConfig(s, infraHost(s)), stack: { ...s.base.stack } };
}

/**
 * A worker host's service configuration, as one would write it on a real machine: the
 * infrastructure by address, HTTP bound to the host's own address (so the API token is
 * required: it comes from the environment).
 */
export function serviceConfigFile(
  s: ClusterState,
  host: ClusterHost,
  concurrency = s.concurrency,
): Record<string, unknown> {
  const e = endpoints(s);
  const extra = s.serviceConfig as { http?: object; hdfs?: object };
  return {
    ...s.serviceConfig,
    kafka: { brokers: e.brokers, topicPartitions: s.base.kafka.topicPartitions },
    hdfs: {
      ...extra.hdfs,
      namenodeUrl: e.namenodeUrl,
      user: s.base.hdfs.user,
      lakeRoot: s.base.hdfs.lakeRoot,
    },
    registry: { url: e.registryUrl },
    http: { ...extra.http, host: host.address },
    workers: { concurrency },
  };
}

/** The configuration file a user's CLI takes (`LAKE_CONFIG=…/client.json lake publish …`). */
export function clientConfigFile(s: ClusterState): Record<string, unknown> {
  const e = endpoints(s);
  return {
    kafka: { brokers: e.brokers },
    hdfs: { namenodeUrl: e.namenodeUrl },
    registry: { url: e.registryUrl },
  };
}
