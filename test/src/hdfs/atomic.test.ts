import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { HdfsAlreadyExistsError, HdfsConnectionError, HdfsNotFoundError } from '@lakestream/hdfs';
import { sha256, type TestLake, testLake } from './lake';

let lake: TestLake;
before(async () => {
  lake = await testLake('atomic');
});
after(async () => {
  await lake?.cleanup();
});

/** What is left in the staging folder (nothing, or not even the folder). */
async function staged(): Promise<string[]> {
  try {
    return (await lake.client.list('_tmp')).map((s) => s.name);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  }
}

test('writeAtomically puts the whole file in place, creates parents, reports bytes and checksum, leaves _tmp empty', async () => {
  const { client, root } = lake;
  const bytes = randomBytes(5 << 20);
  const result = await client.writeAtomically(
    'ds/clean/batch=b1/part-00000.parquet',
    Readable.from([bytes.subarray(0, 1 << 20), bytes.subarray(1 << 20)]),
  );
  assert.equal(result.path, `${root}/ds/clean/batch=b1/part-00000.parquet`);
  assert.equal(result.bytes, bytes.length);
  const checksum = await client.getFileChecksum(result.path);
  assert.equal(result.checksum, `${checksum.algorithm}:${checksum.bytes}`);
  assert.equal(sha256(await client.read(result.path, { offset: 0, length: bytes.length })), sha256(bytes));
  assert.deepEqual(await staged(), []);
  // A redelivery finds the output and checks it against its descriptor.
  assert.equal(
    (await client.verify(result.path, { bytes: result.bytes, checksum: result.checksum })).matches,
    true,
  );
  assert.equal((await client.verify(result.path, { bytes: result.bytes + 1 })).matches, false);
  const changed = Buffer.from(bytes);
  changed[100] ^= 0xff;
  await client.writeFile('other.bin', changed, { overwrite: true });
  assert.equal(
    (await client.verify('other.bin', { checksum: result.checksum })).matches,
    false,
    'one byte differs',
  );
});

test('writeAtomically onto an existing path throws HdfsAlreadyExistsError and keeps the old bytes', async () => {
  const { client, root } = lake;
  await client.writeAtomically('dup/report.json', '{"v":1}');
  await assert.rejects(
    client.writeAtomically('dup/report.json', '{"v":2}'),
    (e: unknown) => e instanceof HdfsAlreadyExistsError && e.path === `${root}/dup/report.json`,
  );
  assert.equal(Buffer.from(await client.readFile('dup/report.json')).toString(), '{"v":1}');
  assert.deepEqual(await staged(), []);
});

test('a source stream failing midway leaves no final file and nothing under _tmp', async () => {
  const { client } = lake;
  async function* failing() {
    for (let i = 0; i < 6; i++) yield randomBytes(1 << 20);
    throw new Error('source broke at 6 MiB');
  }
  await assert.rejects(
    client.writeAtomically('broken/part-00000.parquet', failing()),
    /source broke at 6 MiB/,
  );
  assert.equal(await client.exists('broken/part-00000.parquet'), false);
  assert.deepEqual(await staged(), []);
  // The same failure through a plain writeFile also rejects (the upload is aborted, not completed).
  await assert.rejects(client.writeFile('broken/direct.bin', failing()), /source broke at 6 MiB/);
});

test('with a factory, a streamed atomic write restarts after a retriable failure', async () => {
  const { client } = lake;
  let calls = 0;
  const bytes = randomBytes(2 << 20);
  const result = await client.writeAtomically('retry/f.bin', () => {
    calls++;
    if (calls === 1) {
      return (async function* () {
        yield bytes.subarray(0, 1 << 20);
        // Looks like a dropped DataNode connection: retriable.
        throw new HdfsConnectionError('simulated reset', 'retry/f.bin', 'ECONNRESET');
      })();
    }
    return Readable.from([bytes]);
  });
  assert.equal(calls, 2);
  assert.equal(result.bytes, bytes.length);
  assert.equal(sha256(await client.readFile('retry/f.bin')), sha256(bytes));
  assert.deepEqual(await staged(), []);
});

test('createExclusive: of concurrent writers exactly one wins, the others get HdfsAlreadyExistsError', async () => {
  const { client } = lake;
  const writers = ['a', 'b', 'c'];
  for (let round = 0; round < 8; round++) {
    const path = `race/partial-${round}.json`;
    const results = await Promise.allSettled(
      writers.map((w) => client.createExclusive(path, `{"worker":"${w}","round":${round}}`)),
    );
    const winners = writers.filter((_, i) => results[i].status === 'fulfilled');
    assert.equal(winners.length, 1, `round ${round}: one winner`);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof HdfsAlreadyExistsError, String(r.reason));
    }
    assert.equal(
      Buffer.from(await client.readFile(path)).toString(),
      `{"worker":"${winners[0]}","round":${round}}`,
    );
  }
  await assert.rejects(client.createExclusive('race/partial-0.json', 'late'), HdfsAlreadyExistsError);
  assert.deepEqual(await staged(), []);
});

/** The shape columnar's Parquet writer writes into. */
interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

test('openAtomicWriter: pushed chunks appear at the final path only on close; abort leaves nothing', async () => {
  const { client, root } = lake;
  const bytes = randomBytes(6 << 20);
  const writer = client.openAtomicWriter('sink/part-00000.parquet');
  const sink: ByteSink = writer;
  for (let i = 0; i < bytes.length; i += 300_000) await sink.write(bytes.subarray(i, i + 300_000));
  assert.equal(await client.exists('sink/part-00000.parquet'), false, 'not visible before close');
  await sink.close();
  const result = await writer.result();
  assert.equal(result.path, `${root}/sink/part-00000.parquet`);
  assert.equal(result.bytes, bytes.length);
  assert.equal(sha256(await client.readFile(result.path)), sha256(bytes));

  const aborted = client.openAtomicWriter('sink/part-00001.parquet');
  await aborted.write(randomBytes(1 << 20));
  await aborted.abort(new Error('encoder failed'));
  assert.equal(await client.exists('sink/part-00001.parquet'), false);
  assert.deepEqual(await staged(), []);
});
