import { InvalidInputError } from '@lakestream/core';
import type { LakeConfigOverrides } from './schema';

type Setter = (o: LakeConfigOverrides, v: string) => void;

const int = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidInputError(`${name}=${JSON.stringify(v)}: expected a non-negative integer`, name);
  return n;
};

/** Environment variables and the field each one sets. Documented in the README. */
export const ENVIRONMENT: Record<string, Setter> = {
  LAKE_KAFKA_BROKERS: (o, v) => {
    o.kafka = {
      ...o.kafka,
      brokers: v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  },
  LAKE_KAFKA_TOPIC_PARTITIONS: (o, v) => {
    o.kafka = { ...o.kafka, topicPartitions: int('LAKE_KAFKA_TOPIC_PARTITIONS', v) };
  },
  LAKE_KAFKA_REPLICATION_FACTOR: (o, v) => {
    o.kafka = { ...o.kafka, replicationFactor: int('LAKE_KAFKA_REPLICATION_FACTOR', v) };
  },
  LAKE_HDFS_URL: (o, v) => {
    o.hdfs = { ...o.hdfs, namenodeUrl: v };
  },
  LAKE_HDFS_USER: (o, v) => {
    o.hdfs = { ...o.hdfs, user: v };
  },
  LAKE_ROOT: (o, v) => {
    o.hdfs = { ...o.hdfs, lakeRoot: v };
  },
  LAKE_HDFS_STAGING_MAX_AGE_MS: (o, v) => {
    o.hdfs = { ...o.hdfs, staging: { ...o.hdfs?.staging, maxAgeMs: int('LAKE_HDFS_STAGING_MAX_AGE_MS', v) } };
  },
  LAKE_HDFS_STAGING_SWEEP_INTERVAL_MS: (o, v) => {
    o.hdfs = {
      ...o.hdfs,
      staging: { ...o.hdfs?.staging, sweepIntervalMs: int('LAKE_HDFS_STAGING_SWEEP_INTERVAL_MS', v) },
    };
  },
  LAKE_REGISTRY_URL: (o, v) => {
    o.registry = { url: v };
  },
  LAKE_HTTP_HOST: (o, v) => {
    o.http = { ...o.http, host: v };
  },
  LAKE_API_TOKEN: (o, v) => {
    o.http = { ...o.http, apiToken: v };
  },
  LAKE_INGEST_MAX_UPLOAD_BYTES: (o, v) => {
    o.ingest = { ...o.ingest, maxUploadBytes: int('LAKE_INGEST_MAX_UPLOAD_BYTES', v) };
  },
  LAKE_INGEST_TMP_DIR: (o, v) => {
    o.ingest = { ...o.ingest, tmpDir: v };
  },
  LAKE_PREDICTOR_MODEL: (o, v) => {
    o.predictor = { ...o.predictor, model: v };
  },
  LAKE_PREDICTOR_DATASETS: (o, v) => {
    o.predictor = {
      ...o.predictor,
      datasets: v
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    };
  },
  LAKE_PREDICTOR_GROUP: (o, v) => {
    o.predictor = { ...o.predictor, group: v };
  },
  LAKE_PREDICTOR_ALIAS: (o, v) => {
    o.predictor = { ...o.predictor, alias: v };
  },
  LAKE_DRIFT_PSI: (o, v) => {
    o.drift = { ...o.drift, thresholds: { ...o.drift?.thresholds, psi: Number(v) } };
  },
  LAKE_DRIFT_KS: (o, v) => {
    o.drift = { ...o.drift, thresholds: { ...o.drift?.thresholds, ks: Number(v) } };
  },
  LAKE_RETRAIN_POLICY: (o, v) => {
    o.monitoring = { ...o.monitoring, retrain: { ...o.monitoring?.retrain, policy: v as never } };
  },
  LAKE_RETRAIN_EVERY: (o, v) => {
    o.monitoring = {
      ...o.monitoring,
      retrain: { ...o.monitoring?.retrain, everyBatches: int('LAKE_RETRAIN_EVERY', v) },
    };
  },
  LAKE_RETRAIN_WINDOW: (o, v) => {
    o.monitoring = {
      ...o.monitoring,
      retrain: { ...o.monitoring?.retrain, window: int('LAKE_RETRAIN_WINDOW', v) },
    };
  },
  LAKE_CHALLENGER: (o, v) => {
    if (!['true', 'false', '1', '0'].includes(v))
      throw new InvalidInputError(
        `LAKE_CHALLENGER=${JSON.stringify(v)}: expected true or false`,
        'LAKE_CHALLENGER',
      );
    o.monitoring = {
      ...o.monitoring,
      challenger: { ...o.monitoring?.challenger, enabled: v === 'true' || v === '1' },
    };
  },
  LAKE_MONITOR_GROUP: (o, v) => {
    o.monitoring = { ...o.monitoring, group: v };
  },
  LAKE_CONCURRENCY: (o, v) => {
    o.workers = { concurrency: int('LAKE_CONCURRENCY', v) };
  },
  LAKE_STACK_HOST: (o, v) => {
    o.stack = { ...o.stack, host: v };
  },
  LAKE_STACK_NAMENODE_HOST: (o, v) => {
    o.stack = { ...o.stack, namenodeHost: v };
  },
  LAKE_STACK_HDFS_REPLICATION: (o, v) => {
    o.stack = { ...o.stack, hdfsReplication: int('LAKE_STACK_HDFS_REPLICATION', v) };
  },
  LAKE_STACK_DATA_DIR: (o, v) => {
    o.stack = { ...o.stack, dataDir: v };
  },
  LAKE_STACK_CACHE_DIR: (o, v) => {
    o.stack = { ...o.stack, cacheDir: v };
  },
  LAKE_LOG_LEVEL: (o, v) => {
    o.log = { level: v as never };
  },
};

export function overridesFromEnv(env: NodeJS.ProcessEnv): LakeConfigOverrides {
  const o: LakeConfigOverrides = {};
  for (const [name, set] of Object.entries(ENVIRONMENT)) {
    const v = env[name];
    if (v !== undefined && v !== '') set(o, v);
  }
  return o;
}
