import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startKeepAlive } from './keep-alive';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('keep-alive heartbeats on its timer, reports a rebalance, logs other failures, and stops when told', async () => {
  let beats = 0;
  let rejoins = 0;
  const warnings: string[] = [];
  const keepAlive = startKeepAlive({
    heartbeat: async () => {
      beats++;
      if (beats === 3) throw new Error('rebalancing');
      if (beats === 4) throw new Error('connection reset');
    },
    intervalMs: 10,
    logger: { info() {}, warn: (_f, m) => warnings.push(m), error() {} },
    isRejoinError: (e) => e instanceof Error && e.message === 'rebalancing',
    onRejoinNeeded: () => rejoins++,
  });
  await sleep(120);
  keepAlive.stop();
  const seen = beats;
  assert.ok(seen >= 5, `heartbeats: ${seen}`);
  assert.equal(rejoins, 1);
  assert.deepEqual(warnings, ['heartbeat failed']);
  await sleep(50);
  assert.equal(beats, seen, 'no heartbeat after stop()');
});
