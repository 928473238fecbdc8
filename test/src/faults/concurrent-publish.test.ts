import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scenario } from './common';
import { EtlProcess } from './harness';
import { checkInvariants } from './invariants';

// Scenario 6: the same batch published twice at the same moment.
const s = scenario('fault-twice');
let etl: EtlProcess;

before(async () => {
  etl = await EtlProcess.create(s.config);
  await etl.start();
});
after(async () => {
  await etl?.stop();
  await s.cleanup();
});

test('the same batch published twice concurrently: one manifest, the ETL output once', async (t) => {
  const { config, clients, dataset } = s;
  const [a, b] = await Promise.all([s.publish('b1', 12), s.publish('b1', 12)]);
  assert.ok(
    [a.outcome, b.outcome].includes('published'),
    `one of them published: ${a.outcome}, ${b.outcome}`,
  );
  assert.equal(a.rows, b.rows);
  const result = await checkInvariants(config, clients, {
    dataset,
    batch: 'b1',
    since: s.since,
    redeliveredInput: true,
  });
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'published twice', inFlight: result.rawDescriptors, ...result })}`,
  );
});
