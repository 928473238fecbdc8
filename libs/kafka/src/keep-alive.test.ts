import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startKeepAlive } from './keep-alive';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('keep-alive heartbeats on its timer, notices a rebalance, and stops when told', async () => {
  let beats = 0;
  const warnings: string[] = [];
  const logger = { info() {}, warn: (_f: unknown, m: string) => warnings.push(m), error() {} };
  const keepAlive = startKeepAlive(
    async () => {
      beats++;
      if (beats === 3) throw new Error('The group is rebalancing, so a rejoin is needed');
      if (beats === 4) throw new Error('connection reset');
    },
    10,
    logger,
  );
  await sleep(120);
  keepAlive.stop();
  const seen = beats;
  assert.ok(seen >= 5, `heartbeats: ${seen}`);
  assert.equal(keepAlive.rebalancing, true);
  assert.deepEqual(warnings, ['heartbeat failed']);
  await sleep(50);
  assert.equal(beats, seen, 'no heartbeat after stop()');
});
