import { InvalidInputError, isValidName } from '@lakestream/core';
import type { LakeConfig } from './schema';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Refuses a configuration that could only fail later, naming the field and what was expected. */
export function validateConfig(c: LakeConfig): LakeConfig {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new InvalidInputError(`config ${field}=${JSON.stringify(value)}: expected ${expected}`, field);
  };
  if (!Array.isArray(c.kafka.brokers) || c.kafka.brokers.length === 0)
    fail('kafka.brokers', c.kafka.brokers, 'a non-empty list of host:port');
  for (const b of c.kafka.brokers) if (!/^[^:\s]+:\d+$/.test(b)) fail('kafka.brokers', b, 'host:port');
  if (!Number.isInteger(c.kafka.topicPartitions) || c.kafka.topicPartitions < 1)
    fail('kafka.topicPartitions', c.kafka.topicPartitions, 'an integer ≥ 1');
  for (const [field, url] of [
    ['hdfs.namenodeUrl', c.hdfs.namenodeUrl],
    ['registry.url', c.registry.url],
  ] as const) {
    if (!/^https?:\/\/[^/\s]+/.test(url)) fail(field, url, 'an http(s) URL');
  }
  if (!/^\/[a-zA-Z0-9_\-/.]*$/.test(c.hdfs.lakeRoot) || c.hdfs.lakeRoot.includes('..'))
    fail('hdfs.lakeRoot', c.hdfs.lakeRoot, 'an absolute HDFS path');
  // Shorter than a minute would race writes that are merely slow, not abandoned.
  if (!Number.isSafeInteger(c.hdfs.staging.maxAgeMs) || c.hdfs.staging.maxAgeMs < 60_000)
    fail('hdfs.staging.maxAgeMs', c.hdfs.staging.maxAgeMs, 'at least 60000 ms');
  if (!Number.isSafeInteger(c.hdfs.staging.sweepIntervalMs) || c.hdfs.staging.sweepIntervalMs < 0)
    fail('hdfs.staging.sweepIntervalMs', c.hdfs.staging.sweepIntervalMs, 'a non-negative number of ms');
  if (!Number.isInteger(c.workers.concurrency) || c.workers.concurrency < 1 || c.workers.concurrency > 256) {
    fail('workers.concurrency', c.workers.concurrency, 'an integer from 1 to 256');
  }
  for (const key of ['model', 'alias'] as const)
    if (!isValidName(c.predictor[key]))
      fail(`predictor.${key}`, c.predictor[key], 'a name matching [a-z0-9][a-z0-9_-]{0,63}');
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(c.predictor.group))
    fail('predictor.group', c.predictor.group, 'a Kafka group id of letters, digits, ".", "_" or "-"');
  if (!Array.isArray(c.predictor.datasets) || !c.predictor.datasets.every(isValidName))
    fail('predictor.datasets', c.predictor.datasets, 'a list of dataset names');
  for (const [column, r] of Object.entries(c.drift.bins)) {
    const n = (r.to - r.from) / r.step;
    if (
      !(Number.isFinite(r.from) && Number.isFinite(r.to) && r.step > 0 && r.to > r.from) ||
      Math.abs(n - Math.round(n)) > 1e-9 ||
      n > 10_000
    )
      fail(
        `drift.bins.${column}`,
        r,
        '{from, to, step} with from < to, step > 0, (to - from) a multiple of step, at most 10000 bins',
      );
  }
  for (const key of ['psi', 'ks', 'mseRatio'] as const) {
    const v = c.drift.thresholds[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      fail(`drift.thresholds.${key}`, v, 'a positive number');
  }
  const { retrain, challenger } = c.monitoring;
  if (!['off', 'on-drift', 'every'].includes(retrain.policy))
    fail('monitoring.retrain.policy', retrain.policy, 'off, on-drift or every');
  for (const key of ['everyBatches', 'window'] as const)
    if (!Number.isInteger(retrain[key]) || retrain[key] < 1 || retrain[key] > 10_000)
      fail(`monitoring.retrain.${key}`, retrain[key], 'an integer from 1 to 10000');
  if (typeof challenger.enabled !== 'boolean')
    fail('monitoring.challenger.enabled', challenger.enabled, 'true or false');
  if (!(challenger.confidence >= 0.5 && challenger.confidence < 1))
    fail('monitoring.challenger.confidence', challenger.confidence, 'a number in [0.5, 1)');
  if (!Number.isInteger(challenger.minRows) || challenger.minRows < 2)
    fail('monitoring.challenger.minRows', challenger.minRows, 'an integer ≥ 2');
  if (!(challenger.minImprovement >= 0 && challenger.minImprovement < 1))
    fail('monitoring.challenger.minImprovement', challenger.minImprovement, 'a number in [0, 1)');
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(c.monitoring.group))
    fail('monitoring.group', c.monitoring.group, 'a Kafka group id of letters, digits, ".", "_" or "-"');
  if (!Number.isSafeInteger(c.ingest.maxUploadBytes) || c.ingest.maxUploadBytes < 1)
    fail('ingest.maxUploadBytes', c.ingest.maxUploadBytes, 'a positive number of bytes');
  for (const [name, port] of Object.entries({ ...c.http.ports, ...c.stack.ports })) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      fail(`port ${name}`, port, 'an integer from 1 to 65535');
  }
  if (
    !Number.isInteger(c.stack.hdfsReplication) ||
    c.stack.hdfsReplication < 1 ||
    c.stack.hdfsReplication > 16
  )
    fail('stack.hdfsReplication', c.stack.hdfsReplication, 'an integer from 1 to 16');
  if (typeof c.stack.namenodeHost !== 'string' || /[\s/]/.test(c.stack.namenodeHost))
    fail('stack.namenodeHost', c.stack.namenodeHost, 'a host name or address (empty: stack.host)');
  for (const [name, heap] of Object.entries(c.stack.heap))
    if (!/^\d+[mg]$/i.test(heap)) fail(`stack.heap.${name}`, heap, 'a JVM size such as 512m or 1g');
  if (!LOG_LEVELS.includes(c.log.level)) fail('log.level', c.log.level, LOG_LEVELS.join('|'));
  return c;
}

/** True when the HTTP APIs listen beyond loopback (then an API token is required). */
export function bindsBeyondLoopback(host: string): boolean {
  return !(host === 'localhost' || host === '::1' || host.startsWith('127.'));
}
