import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { loadConfig } from './load';

const tempDir = () => mkdtempSync(join(tmpdir(), 'lake-config-'));

test('file, environment and flags override the defaults in that order', () => {
  const home = tempDir();
  writeFileSync(
    join(home, 'lake.config.json'),
    JSON.stringify({ kafka: { topicPartitions: 6 }, hdfs: { user: 'fromfile' } }),
  );
  const c = loadConfig({
    home,
    env: { LAKE_HDFS_USER: 'fromenv', LAKE_KAFKA_BROKERS: 'a:1,b:2' },
    overrides: { kafka: { brokers: ['c:3'] } },
  });
  assert.equal(c.kafka.topicPartitions, 6);
  assert.equal(c.hdfs.user, 'fromenv');
  assert.deepEqual(c.kafka.brokers, ['c:3']);
  assert.equal(c.stack.dataDir, join(home, '.lake', 'stack'));
});

test('a bad value is refused with the field and what was expected', () => {
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_CONCURRENCY: 'two' } }),
    (e: unknown) => {
      return (
        e instanceof InvalidInputError &&
        /LAKE_CONCURRENCY="two": expected a non-negative integer/.test(e.message)
      );
    },
  );
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_KAFKA_BROKERS: 'nohostport' } }),
    /kafka.brokers="nohostport": expected host:port/,
  );
  assert.throws(() => loadConfig({ home: tempDir(), env: { LAKE_ROOT: '/lake/../etc' } }), /hdfs.lakeRoot/);
});

test('client endpoints follow the local stack when its ports move, unless set explicitly', () => {
  const home = tempDir();
  writeFileSync(
    join(home, 'lake.config.json'),
    JSON.stringify({ stack: { ports: { kafka: 19092, namenodeHttp: 19870, registry: 18081 } } }),
  );
  const moved = loadConfig({ home, env: {} });
  assert.deepEqual(moved.kafka.brokers, ['127.0.0.1:19092']);
  assert.equal(moved.hdfs.namenodeUrl, 'http://127.0.0.1:19870');
  assert.equal(moved.registry.url, 'http://127.0.0.1:18081/apis/ccompat/v7');
  const explicit = loadConfig({ home, env: { LAKE_HDFS_URL: 'http://nn:9870' } });
  assert.equal(explicit.hdfs.namenodeUrl, 'http://nn:9870');
});

test('the _tmp sweeper: an hour and every 10 minutes by default; a shorter age than a minute is refused', () => {
  const defaults = loadConfig({ home: tempDir(), env: {} });
  assert.deepEqual(defaults.hdfs.staging, { maxAgeMs: 3_600_000, sweepIntervalMs: 600_000 });
  const fromEnv = loadConfig({
    home: tempDir(),
    env: { LAKE_HDFS_STAGING_MAX_AGE_MS: '7200000', LAKE_HDFS_STAGING_SWEEP_INTERVAL_MS: '0' },
  });
  assert.deepEqual(fromEnv.hdfs.staging, { maxAgeMs: 7_200_000, sweepIntervalMs: 0 });
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_HDFS_STAGING_MAX_AGE_MS: '1000' } }),
    /hdfs\.staging\.maxAgeMs=1000: expected at least 60000 ms/,
  );
});

test('drift: default bins and thresholds; a file overrides one column; bad bins and thresholds are refused', () => {
  const defaults = loadConfig({ home: tempDir(), env: {} });
  assert.deepEqual(defaults.drift.bins.age, { from: 0, to: 120, step: 5 });
  assert.deepEqual(defaults.drift.thresholds, { psi: 0.2, ks: 0.1, mseRatio: 1.5 });
  const home = tempDir();
  writeFileSync(
    join(home, 'lake.config.json'),
    JSON.stringify({ drift: { bins: { salary: { from: 0, to: 200000, step: 5000 } } } }),
  );
  const fromFile = loadConfig({ home, env: { LAKE_DRIFT_PSI: '0.1' } });
  assert.deepEqual(fromFile.drift.bins.salary, { from: 0, to: 200000, step: 5000 });
  assert.deepEqual(fromFile.drift.bins.age, { from: 0, to: 120, step: 5 });
  assert.equal(fromFile.drift.thresholds.psi, 0.1);
  assert.throws(
    () =>
      loadConfig({
        home: tempDir(),
        env: {},
        overrides: { drift: { bins: { age: { from: 0, to: 10, step: 3 } } } },
      }),
    /drift\.bins\.age=.*multiple of step/,
  );
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_DRIFT_KS: 'x' } }),
    /drift\.thresholds\.ks=null/,
  );
});

test('a worker host: its DataNode finds the NameNode elsewhere and writes blocks twice', () => {
  const defaults = loadConfig({ home: tempDir(), env: {} });
  assert.equal(defaults.stack.namenodeHost, '');
  assert.equal(defaults.stack.hdfsReplication, 1);
  const worker = loadConfig({
    home: tempDir(),
    env: {
      LAKE_STACK_HOST: '10.0.0.2',
      LAKE_STACK_NAMENODE_HOST: '10.0.0.1',
      LAKE_STACK_HDFS_REPLICATION: '2',
    },
  });
  assert.equal(worker.stack.host, '10.0.0.2');
  assert.equal(worker.stack.namenodeHost, '10.0.0.1');
  assert.equal(worker.stack.hdfsReplication, 2);
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_STACK_HDFS_REPLICATION: '0' } }),
    /stack.hdfsReplication=0: expected an integer from 1 to 16/,
  );
});

test('monitoring: off by default; the environment turns the policy and the challenger on; bad values are refused', () => {
  const defaults = loadConfig({ home: tempDir(), env: {} });
  assert.deepEqual(defaults.monitoring, {
    retrain: { policy: 'off', everyBatches: 10, window: 3 },
    challenger: { enabled: false, confidence: 0.95, minRows: 1000, minImprovement: 0 },
    group: 'lake-monitor',
  });
  const on = loadConfig({
    home: tempDir(),
    env: {
      LAKE_RETRAIN_POLICY: 'every',
      LAKE_RETRAIN_EVERY: '4',
      LAKE_RETRAIN_WINDOW: '2',
      LAKE_CHALLENGER: 'true',
    },
    overrides: { monitoring: { challenger: { confidence: 0.99 } } },
  });
  assert.deepEqual(on.monitoring.retrain, { policy: 'every', everyBatches: 4, window: 2 });
  assert.deepEqual(on.monitoring.challenger, {
    enabled: true,
    confidence: 0.99,
    minRows: 1000,
    minImprovement: 0,
  });
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_RETRAIN_POLICY: 'sometimes' } }),
    /monitoring\.retrain\.policy="sometimes": expected off, on-drift or every/,
  );
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_RETRAIN_EVERY: '0' } }),
    /monitoring\.retrain\.everyBatches=0: expected an integer from 1 to 10000/,
  );
  assert.throws(
    () => loadConfig({ home: tempDir(), env: { LAKE_CHALLENGER: 'yes' } }),
    /LAKE_CHALLENGER="yes"/,
  );
  assert.throws(
    () =>
      loadConfig({ home: tempDir(), env: {}, overrides: { monitoring: { challenger: { confidence: 1 } } } }),
    /monitoring\.challenger\.confidence=1: expected a number in \[0\.5, 1\)/,
  );
});
