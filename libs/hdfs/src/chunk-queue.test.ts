import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkQueue } from './chunk-queue';

test('chunks arrive in order; push waits while more than the high-water mark is queued', async () => {
  const q = new ChunkQueue(10);
  let pushed = 0;
  const writer = (async () => {
    for (let i = 0; i < 5; i++) {
      await q.push(new Uint8Array(6).fill(i));
      pushed++;
    }
    q.end();
  })();
  await new Promise((r) => setImmediate(r));
  assert.equal(pushed, 1, 'the second push (12 bytes queued) waits for the reader');
  const seen: number[] = [];
  for await (const chunk of q) seen.push(chunk[0]);
  await writer;
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
});

test('fail ends the reader and releases waiting writers with the error', async () => {
  const q = new ChunkQueue(1);
  const waiting = q.push(new Uint8Array(4));
  const boom = new Error('upload failed');
  q.fail(boom);
  await assert.rejects(waiting, /upload failed/);
  await assert.rejects(q.push(new Uint8Array(1)), /upload failed/);
  await assert.rejects(
    (async () => {
      for await (const _ of q);
    })(),
    /upload failed/,
  );
});
