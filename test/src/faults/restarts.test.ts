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
import { HOUR, plantStaging } from './staging';

// Scenarios 2 and 3: the broker, the DataNode and the NameNode's safemode, on a private stack
// (own ports and data) since they stop servers; the shared stack is never touched.
let stack: PrivateStack;
const processes: EtlProcess[] = [];
const worlds: ReturnType<typeof scenario>[] = [];
const OUTAGE_MS = 15_000;

before(async () => {
  stack = await PrivateStack.create();
  try {
    await stack.up();
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

function world(prefix: string) {
  const s = scenario(prefix, stack.config);
  worlds.push(s);
  return s;
}

async function etlProcess(options: Parameters<typeof EtlProcess.create>[2] = {}): Promise<EtlProcess> {
  const etl = await EtlProcess.create(stack.config, 1, options);
  processes.push(etl);
  return etl;
}

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

/** Waits until `n` partitions are done, so the fault lands with most of the batch in flight. */
const someDone = (s: ReturnType<typeof scenario>, n: number) =>
  eventually(`${n} partitions cleaned`, 90_000, async () => {
    const done = await partialsDone(s.clients, s.dataset, 'b1');
    return done >= n ? done : undefined;
  });

// Scenario 2.
test('the Kafka broker stopped and restarted during a 30-partition batch: the ETL finishes it, nothing lost or doubled', async (t) => {
  const s = world('fault-broker');
  const etl = await etlProcess();
  await etl.start();
  const published = await publish(s, 30);
  assert.equal(published.outcome, 'published');
  const doneAtStop = await someDone(s, 3);
  await stack.down(['kafka']);
  const stoppedAt = Date.now();
  await sleep(OUTAGE_MS);
  const heldAt = await partialsDone(s.clients, s.dataset, 'b1');
  assert.ok(etl.running, `the ETL rode out the broker outage:\n${etl.output.slice(-2000)}`);
  assert.ok(
    heldAt < published.partitions,
    `the batch was not finished while the broker was down (${heldAt})`,
  );
  await stack.up(['kafka']);
  const downSeconds = (Date.now() - stoppedAt) / 1000;
  const result = await checkInvariants(s.config, s.clients, {
    dataset: s.dataset,
    batch: 'b1',
    since: s.since,
  });
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'broker restart', inFlight: published.partitions - doneAtStop, doneAtStop, heldAt, downSeconds, ...result })}`,
  );
  await etl.stop();
});

// Scenario 3a.
test('the DataNode stopped and restarted during writes: retried as an outage, nothing dead-lettered, the batch completes', async (t) => {
  const s = world('fault-datanode');
  const etl = await etlProcess();
  await etl.start();
  const logFrom = etl.output.length;
  const published = await publish(s, 30);
  assert.equal(published.outcome, 'published');
  const doneAtStop = await someDone(s, 3);
  await stack.down(['datanode']);
  const stoppedAt = Date.now();
  await sleep(OUTAGE_MS);
  const heldAt = await partialsDone(s.clients, s.dataset, 'b1');
  assert.ok(etl.running, `the ETL rode out the DataNode outage:\n${etl.output.slice(-2000)}`);
  assert.ok(heldAt < published.partitions, `the DataNode's absence held the batch (${heldAt})`);
  await stack.up(['datanode']);
  const downSeconds = (Date.now() - stoppedAt) / 1000;
  const result = await checkInvariants(s.config, s.clients, {
    dataset: s.dataset,
    batch: 'b1',
    since: s.since,
  });
  const retried = etl.output
    .slice(logFrom)
    .split('\n')
    .filter((l) => /"retriable":true/.test(l)).length;
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'datanode restart', inFlight: published.partitions - doneAtStop, doneAtStop, heldAt, downSeconds, retriedErrorsLogged: retried, ...result })}`,
  );
  await etl.stop();
});

// Scenario 3b.
test('the ETL started while the NameNode is in safemode: it waits (nothing written, nothing dead-lettered), then finishes the batch and sweeps _tmp once safemode is left', async (t) => {
  const s = world('fault-safemode');
  const published = await publish(s, 12);
  assert.equal(published.outcome, 'published');
  // Left by an earlier crash: the start-up sweep meets safemode too, and must try again later.
  const abandoned = await plantStaging(s.clients.hdfs, { ageMs: 2 * HOUR });
  assert.match(stack.dfsadmin('-safemode', 'enter'), /Safe mode is ON/);
  const enteredAt = Date.now();
  try {
    const etl = await etlProcess({ config: { hdfs: { staging: { sweepIntervalMs: 2000 } } } });
    await etl.start(60_000, 'live');
    await sleep(Math.max(0, 20_000 - (Date.now() - enteredAt)));
    assert.equal(await partialsDone(s.clients, s.dataset, 'b1'), 0, 'nothing written in safemode');
    assert.ok(etl.running, `the ETL waited out safemode:\n${etl.output.slice(-2000)}`);
    assert.ok(await s.clients.hdfs.exists(abandoned), 'nothing deleted in safemode');
    assert.match(etl.output, /SafeModeException/, 'the ETL says why it waits');
    const ready = await fetch(`http://127.0.0.1:${etl.port}/health/ready`).then((r) => r.status);
    assert.match(stack.dfsadmin('-safemode', 'leave'), /Safe mode is OFF/);
    const safemodeSeconds = (Date.now() - enteredAt) / 1000;
    const result = await checkInvariants(s.config, s.clients, {
      dataset: s.dataset,
      batch: 'b1',
      since: s.since,
      abandonedStaging: [abandoned.slice(abandoned.lastIndexOf('/') + 1)],
    });
    t.diagnostic(
      `faults: ${JSON.stringify({ scenario: 'namenode safemode at start', inFlight: published.partitions, safemodeSeconds, readyStatusInSafemode: ready, ...result })}`,
    );
    await etl.stop();
  } finally {
    try {
      stack.dfsadmin('-safemode', 'leave');
    } catch {
      // the stack is wiped anyway
    }
  }
});
