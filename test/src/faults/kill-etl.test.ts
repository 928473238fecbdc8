import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eventually } from '../etl/pipeline';
import { partialsDone, scenario } from './common';
import { EtlProcess } from './harness';
import { checkInvariants } from './invariants';

// Scenario 1: kill -9 an ETL worker in the middle of a batch, then restart it.
const s = scenario('fault-kill');
const processes: EtlProcess[] = [];
let leftovers: string[] = [];

after(async () => {
  for (const p of processes) await p.stop();
  for (const name of leftovers)
    await s.clients.hdfs.delete(`${s.clients.paths.tmp()}/${name}`, { recursive: true }).catch(() => false);
  await s.cleanup();
});

test('kill -9 of the ETL process mid-batch, then a restart: every partition cleaned once, the report exact', async (t) => {
  const { config, clients, dataset } = s;
  const first = await EtlProcess.create(config);
  processes.push(first);
  await first.start();
  const published = await s.publish('b1');
  assert.equal(published.outcome, 'published');
  const P = published.partitions;
  // Some partitions done, most still to do: kill it while it is handling one.
  const doneAtKill = await eventually('the first partitions cleaned', 90_000, async () => {
    const n = await partialsDone(clients, dataset, 'b1');
    return n >= 3 ? n : undefined;
  });
  await first.kill9();
  const afterKill = await partialsDone(clients, dataset, 'b1');
  assert.ok(afterKill < P, `the batch was not finished when the worker died (${afterKill}/${P})`);

  const second = await EtlProcess.create(config);
  processes.push(second);
  await second.start();
  const result = await checkInvariants(config, clients, {
    dataset,
    batch: 'b1',
    since: s.since,
    tmp: 'report',
  });
  leftovers = result.tmpLeftovers;
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'kill -9 etl', inFlight: P - doneAtKill, doneAtKill, ...result })}`,
  );
});

test(
  'kill -9 during a write leaves no staging folder in _tmp',
  {
    todo: 'known leak: a process killed between upload and rename leaves /lake/_tmp/<uuid>/<file>; nothing sweeps _tmp yet (depends on when the kill lands)',
  },
  () => {
    assert.deepEqual(leftovers, []);
  },
);
