import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig } from '@lakestream/config';
import { clientConfigFile, hostStackConfig, serviceConfigFile } from './configs';
import type { ClusterState } from './state';

const host = (name: string, last: number) => ({
  name,
  role: name === 'infra' ? ('infra' as const) : ('worker' as const),
  netns: `lkab12-${name}`,
  link: `lkab12-${name}`,
  address: `10.213.9.${last}`,
});

const state: ClusterState = {
  plan: {
    id: 'ab12',
    prefix: 'lkab12',
    subnet: '10.213.9',
    bridge: 'lkab12-br',
    gateway: '10.213.9.254',
    hosts: [host('infra', 1), host('w1', 2), host('w2', 3)],
  },
  claim: '/tmp/claim.json',
  dir: '/tmp/cluster',
  createdAt: 0,
  apiToken: 'secret-token',
  replication: 2,
  concurrency: 3,
  services: ['etl', 'predictor'],
  base: defaultConfig('/home/lake'),
  serviceConfig: { hdfs: { staging: { sweepIntervalMs: 2000 } } },
  lakeBin: '/home/lake/cli/bin/lake.js',
  serves: [],
};
const [infra, w1] = [state.plan.hosts[0]!, state.plan.hosts[1]!];

test("a worker host's services find the infrastructure by address and bind their own address; no loopback, no token in the file", () => {
  const file = serviceConfigFile(state, w1);
  assert.deepEqual(file.kafka, { brokers: ['10.213.9.1:9092'], topicPartitions: 12 });
  assert.equal((file.hdfs as { namenodeUrl: string }).namenodeUrl, 'http://10.213.9.1:9870');
  assert.deepEqual(
    (file.hdfs as { staging: object }).staging,
    { sweepIntervalMs: 2000 },
    'extra settings merged',
  );
  assert.deepEqual(file.registry, { url: 'http://10.213.9.1:8081/apis/ccompat/v7' });
  assert.deepEqual(file.http, { host: '10.213.9.2' });
  assert.deepEqual(file.workers, { concurrency: 3 });
  const text = JSON.stringify(file);
  assert.ok(!/127\.0\.0\.1|localhost/.test(text), text);
  assert.ok(!text.includes('secret-token'), 'the token travels in the environment only');
  assert.deepEqual(serviceConfigFile(state, w1, 6).workers, { concurrency: 6 });
});

test("each host's servers listen on its address; a worker's DataNode registers with the infrastructure host", () => {
  const i = hostStackConfig(state, infra).stack;
  const w = hostStackConfig(state, w1).stack;
  assert.deepEqual([i.host, i.namenodeHost, i.hdfsReplication], ['10.213.9.1', '', 2]);
  assert.deepEqual([w.host, w.namenodeHost, w.hdfsReplication], ['10.213.9.2', '10.213.9.1', 2]);
  assert.equal(w.dataDir, '/tmp/cluster/w1/stack');
  assert.equal(w.cacheDir, '/home/lake/.cache/stack', 'the downloaded jars are shared');
  assert.deepEqual(clientConfigFile(state), {
    kafka: { brokers: ['10.213.9.1:9092'] },
    hdfs: { namenodeUrl: 'http://10.213.9.1:9870' },
    registry: { url: 'http://10.213.9.1:8081/apis/ccompat/v7' },
  });
});
