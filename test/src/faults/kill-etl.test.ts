import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sleep } from '@lakestream/core';
import { eventually } from '../etl/pipeline';
import { partialsDone, scenario } from './common';
import { EtlProcess } from './harness';
import { checkInvariants, tmpLeftovers } from './invariants';
import { backdate, HOUR, plantStaging } from './staging';

// Scenario 1: kill -9 an ETL worker in the middle of a batch, then restart it.
const s = scenario('fault-kill');
const processes: EtlProcess[] = [];
const planted: string[] = [];
// The restarted ETL sweeps every 2 s instead of every 10 min, so the test need not wait.
const sweepFast = { hdfs: { staging: { sweepIntervalMs: 2000 } } };

after(async () => {
  for (const p of processes) await p.stop();
  for (const folder of planted) await s.clients.hdfs.delete(folder, { recursive: true }).catch(() => false);
  await s.cleanup();
});

test('kill -9 of the ETL process mid-batch, then a restart: every partition cleaned once, the report exact, _tmp swept', async (t) => {
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

  // What the killed process staged and never renamed: there at the kill and still there 15 s on
  // (another writer's staging folder lives for well under a second).
  const atKill = await tmpLeftovers(clients, s.since).then((names) => new Set(names));
  const abandoned = (await tmpLeftovers(clients, s.since)).filter((n) => atKill.has(n));
  // An hour passes (the sweeper's default age): the folders are now old enough to be abandoned.
  for (const name of abandoned) await backdate(clients.hdfs, `${clients.paths.tmp()}/${name}`, 2 * HOUR);

  const second = await EtlProcess.create(config, 1, { config: sweepFast });
  processes.push(second);
  await second.start();
  const result = await checkInvariants(config, clients, {
    dataset,
    batch: 'b1',
    since: s.since,
    abandonedStaging: abandoned,
  });
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'kill -9 etl', inFlight: P - doneAtKill, doneAtKill, abandonedStaging: abandoned.length, ...result })}`,
  );
});

test('a staging folder abandoned over an hour ago is swept by the running ETL; a young one is kept', async () => {
  const { clients } = s;
  const etl = processes.find((p) => p.running);
  assert.ok(etl, 'the restarted ETL is running');
  const old = await plantStaging(clients.hdfs, { ageMs: 2 * HOUR });
  const young = await plantStaging(clients.hdfs, { ageMs: 0 });
  planted.push(old, young);
  await eventually('the ETL to sweep the old staging folder', 30_000, async () =>
    (await clients.hdfs.exists(old)) ? undefined : true,
  );
  // The process says what it removed (its stdout may arrive just after the deletion).
  await eventually('the ETL to log the sweep', 10_000, async () =>
    etl.output.split('\n').some((l) => l.includes('swept abandoned staging folders') && l.includes(old))
      ? true
      : undefined,
  );
  // A few more sweeps run; the young folder (a write that could still be going on) stays.
  await sleep(5000);
  assert.ok(await clients.hdfs.exists(young), 'a young staging folder is never swept');
});
