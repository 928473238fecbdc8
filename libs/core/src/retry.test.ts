import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LakeError } from './errors';
import { retry } from './retry';

const fast = { initialDelayMs: 1, maxDelayMs: 2 };

test('retry retries retriable errors and returns the first success', async () => {
  let calls = 0;
  const value = await retry(async () => {
    calls++;
    if (calls < 3) throw new LakeError('down', { retriable: true });
    return 'ok';
  }, fast);
  assert.equal(value, 'ok');
  assert.equal(calls, 3);
});

test('retry gives up at once on an error that is not retriable', async () => {
  let calls = 0;
  await assert.rejects(
    retry(async () => {
      calls++;
      throw new LakeError('bad input');
    }, fast),
    /bad input/,
  );
  assert.equal(calls, 1);
});

test('retry stops after the configured number of attempts and on bail', async () => {
  let calls = 0;
  await assert.rejects(
    retry(
      async () => {
        calls++;
        throw new LakeError('still down', { retriable: true });
      },
      { ...fast, retries: 4 },
    ),
    /still down/,
  );
  assert.equal(calls, 4);
  await assert.rejects(
    retry(async (_attempt, bail) => bail(new Error('bailed')), fast),
    /bailed/,
  );
});
