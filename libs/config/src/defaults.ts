import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LakeConfig } from './schema';

/** Defaults fit one 2-core, 24 GiB machine with room for the services beside the stack. */
export function defaultConfig(home: string): LakeConfig {
  const host = '127.0.0.1';
  const config: LakeConfig = {
    kafka: { brokers: [], clientId: 'lakestream', topicPartitions: 12, replicationFactor: 1 },
    hdfs: {
      namenodeUrl: '',
      user: 'lake',
      lakeRoot: '/lake',
      staging: { maxAgeMs: 60 * 60_000, sweepIntervalMs: 10 * 60_000 },
    },
    registry: { url: '' },
    http: {
      host,
      ports: { dashboard: 7100, ingest: 7101, etl: 7102, trainer: 7103, predictor: 7104 },
    },
    ingest: { maxUploadBytes: 5 * 2 ** 30, tmpDir: tmpdir() },
    predictor: { model: 'salary', alias: 'production', group: 'lake-predictor', datasets: [] },
    drift: {
      bins: {
        age: { from: 0, to: 120, step: 5 },
        salary: { from: 0, to: 400_000, step: 10_000 },
        is_active: { from: 0, to: 2, step: 1 },
        prediction: { from: 0, to: 400_000, step: 10_000 },
      },
      thresholds: { psi: 0.2, ks: 0.1, mseRatio: 1.5 },
    },
    monitoring: {
      retrain: { policy: 'off', everyBatches: 10, window: 3 },
      challenger: { enabled: false, confidence: 0.95, minRows: 1000, minImprovement: 0 },
      group: 'lake-monitor',
    },
    workers: { concurrency: 1 },
    stack: {
      cacheDir: join(home, '.cache', 'stack'),
      dataDir: join(home, '.lake', 'stack'),
      host,
      namenodeHost: '',
      hdfsReplication: 1,
      ports: {
        kafka: 9092,
        kafkaController: 9093,
        namenodeRpc: 8020,
        namenodeHttp: 9870,
        datanode: 9866,
        datanodeHttp: 9864,
        datanodeIpc: 9867,
        registry: 8081,
        registryManagement: 8082,
      },
      heap: { kafka: '768m', namenode: '512m', datanode: '512m', registry: '384m' },
      startTimeoutMs: 180_000,
    },
    log: { level: 'info' },
  };
  return withStackEndpoints(config);
}

/** Clients talk to the local stack unless told otherwise: its addresses fill the endpoints left unset. */
export function withStackEndpoints(config: LakeConfig): LakeConfig {
  const { host, ports } = config.stack;
  return {
    ...config,
    kafka: {
      ...config.kafka,
      brokers: config.kafka.brokers.length ? config.kafka.brokers : [`${host}:${ports.kafka}`],
    },
    hdfs: { ...config.hdfs, namenodeUrl: config.hdfs.namenodeUrl || `http://${host}:${ports.namenodeHttp}` },
    registry: { url: config.registry.url || `http://${host}:${ports.registry}/apis/ccompat/v7` },
  };
}
