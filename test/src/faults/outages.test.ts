import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LAKE_TOPICS } from '@lakestream/contracts';
import { sleep } from '@lakestream/core';
import { ensureTopics } from '@lakestream/kafka';
import { eventually } from '../etl/pipeline';
import { partialsDone, scenario } from './common';
import { EtlProcess } from './harness';
import { checkInvariants } from './invariants';
import { PrivateStack } from './private-stack';

// Scenarios that need the ETL group to themselves or stop a server run on a private stack:
// the shared stack other tests (and other ETL builds) use is never touched.
let stack: PrivateStack;
const processes: EtlProcess[] = [];
const worlds: ReturnType<typeof scenario>[] = [];
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

before(async () => {
  stack = await PrivateStack.create();
  try {
    await stack.up();
    // A fresh stack: the lake topics exist once a service has started; create them here.
    const { kafka } = stack.config;
    await ensureTopics(
      kafka.brokers,
      LAKE_TOPICS.map((topic) => ({ topic, partitions: kafka.topicPartitions })),
    );
  } catch (error) {
    await stack.destroy();
    throw error;
  }
});
after(async () => {
  for (const p of processes) await p.stop();
  for (const w of worlds) await w.clients.close().catch(() => undefined);
  await stack?.destroy();
});

/** Publishes; new topics may have no leader for a few seconds, and publishing again resumes. */
async function publish(s: ReturnType<typeof scenario>, partitions: number) {
  for (let i = 0; ; i++) {
    try {
      return await s.publish('b1', partitions);
    } catch (error) {
      if (i === 5) throw error;
      await sleep(3000);
    }
  }
}

// Scenario 4.
test('the schema registry down for 30 s: the ETL waits (nothing dead-lettered) and finishes the batch once it is back', async (t) => {
  const s = scenario('fault-registry', stack.config);
  worlds.push(s);
  const { config, clients, dataset } = s;
  const published = await publish(s, 30);
  assert.notEqual(published.outcome, 'unchanged');
  // The ETL starts while the registry is down: it cannot read a single descriptor's schema.
  await stack.down(['registry']);
  const downAt = Date.now();
  const etl = await EtlProcess.create(config);
  processes.push(etl);
  await etl.start(60_000, 'live');
  await sleep(Math.max(0, 30_000 - (Date.now() - downAt)));
  assert.equal(await partialsDone(clients, dataset, 'b1'), 0, 'nothing decoded while the registry was down');
  assert.ok(etl.running, `the ETL rode out the outage:\n${etl.output.slice(-2000)}`);
  await stack.up(['registry']);
  const downSeconds = (Date.now() - downAt) / 1000;
  const result = await checkInvariants(config, clients, { dataset, batch: 'b1', since: s.since });
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'registry down', inFlight: published.partitions, downSeconds, ...result })}`,
  );
});

// Scenario 8 (here because an ETL of another build in the shared group would treat the error its own way).
test('a space quota exceeded mid-batch: a clear error, nothing dead-lettered, the batch completes once space is freed', async (t) => {
  const s = scenario('fault-space', stack.config);
  worlds.push(s);
  const { config, clients, dataset } = s;
  const QUOTA = /quota[^"]*exceeded|QuotaExceeded/i;
  const cleanRoot = `${clients.paths.dataset(dataset)}/clean`;
  let etl = processes.find((p) => p.running);
  if (!etl) {
    etl = await EtlProcess.create(config);
    processes.push(etl);
    await etl.start();
  }
  const logFrom = etl.output.length;
  const log = () => etl.output.slice(logFrom);
  await clients.hdfs.mkdirs(cleanRoot);
  // Room for a few clean partitions (about 45 KB each) out of 12.
  await clients.hdfs.setQuota(cleanRoot, { space: 150_000 });
  try {
    const published = await publish(s, 12);
    assert.equal(published.outcome, 'published');
    await eventually('the ETL to hit the quota', 90_000, async () => (QUOTA.test(log()) ? true : undefined));
    // Let it keep failing for a while: retries, not dead letters.
    await sleep(8000);
    const heldAt = await partialsDone(clients, dataset, 'b1');
    assert.ok(heldAt < published.partitions, `the quota held the batch (${heldAt}/${published.partitions})`);
    const line =
      log()
        .split('\n')
        .find((l) => QUOTA.test(l)) ?? '';
    t.diagnostic(`quota error as logged: ${line.slice(0, 600)}`);
    assert.match(line, new RegExp(escapeRe(cleanRoot)), 'the error names the folder');
    assert.match(line, /"retriable":true/, 'retried as an outage, not counted towards the DLQ');
    await clients.hdfs.setQuota(cleanRoot, { space: -1 });
    const result = await checkInvariants(config, clients, { dataset, batch: 'b1', since: s.since });
    t.diagnostic(
      `faults: ${JSON.stringify({ scenario: 'hdfs quota', inFlight: published.partitions - heldAt, heldAt, ...result })}`,
    );
  } finally {
    await clients.hdfs.setQuota(cleanRoot, { space: -1 }).catch(() => undefined);
  }
});
