import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { HdfsError, HdfsNotFoundError } from '@lakestream/hdfs';
import { crc32c, hdfsChecksum, sha256, type TestLake, testLake } from './lake';

let lake: TestLake;
before(async () => {
  lake = await testLake('rw');
});
after(async () => {
  await lake?.cleanup();
});

test('small files read back byte for byte (buffer, string, empty)', async () => {
  const { client } = lake;
  const bytes = randomBytes(100_003);
  assert.deepEqual(await client.writeFile('small/a.bin', bytes), {
    path: `${lake.root}/small/a.bin`,
    bytes: bytes.length,
  });
  assert.deepEqual(Buffer.from(await client.readFile('small/a.bin')), bytes);
  await client.writeFile('small/s.txt', 'héllo wörld');
  assert.equal(
    Buffer.from(await client.readFile(`${lake.root}/small/s.txt`)).toString('utf8'),
    'héllo wörld',
  );
  await client.writeFile('small/empty', new Uint8Array(0));
  assert.equal((await client.readFile('small/empty')).length, 0);
  const st = await client.stat('small/a.bin');
  assert.equal(st.type, 'FILE');
  assert.equal(st.length, bytes.length);
  assert.equal(st.path, `${lake.root}/small/a.bin`);
});

test('a 80 MB streamed write in 16 MB blocks reads back with the same SHA-256, HDFS checksum and byte ranges', async () => {
  const { client } = lake;
  const size = 80 << 20;
  const blockSize = 16 << 20;
  const bytes = randomBytes(size);
  async function* chunks() {
    for (let i = 0; i < size; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
  }
  const written = await client.writeAtomically('big/f.bin', chunks(), { blockSize });
  assert.equal(written.bytes, size);
  assert.equal((await client.stat('big/f.bin')).blockSize, blockSize);

  const hash = createHash('sha256');
  let n = 0;
  for await (const chunk of client.createReadStream('big/f.bin')) {
    hash.update(chunk);
    n += chunk.length;
  }
  assert.equal(n, size);
  assert.equal(hash.digest('hex'), sha256(bytes));

  // The checksum HDFS reports equals MD5-of-MD5-of-CRC32C computed here from the local bytes.
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283, 'CRC32C check value');
  const expected = hdfsChecksum(bytes, blockSize);
  const remote = await client.getFileChecksum('big/f.bin');
  assert.equal(remote.algorithm, expected.algorithm);
  assert.equal(remote.bytes.slice(24, 56), expected.md5);
  assert.equal(written.checksum, `${remote.algorithm}:${remote.bytes}`);

  // Ranges at the start, inside, across block boundaries and at the end.
  const ranges: [number, number][] = [
    [0, 1],
    [1, 511],
    [511, 2],
    [blockSize - 3, 7],
    [blockSize * 2 - 100_000, 300_000],
    [size - 8, 8],
    [size - 1, 1],
    [12_345_678, 4 << 20],
  ];
  for (const [offset, length] of ranges) {
    const got = await client.read('big/f.bin', { offset, length });
    assert.equal(got.length, length, `length at ${offset}`);
    assert.ok(
      Buffer.from(got).equals(bytes.subarray(offset, offset + length)),
      `bytes at ${offset}+${length}`,
    );
  }
  // Only the range crosses the wire: one request, exactly `length` bytes received.
  const ranged = client.createReadStream('big/f.bin', { offset: 40 << 20, length: 123_457 });
  let got = 0;
  for await (const chunk of ranged) got += chunk.length;
  assert.deepEqual([got, ranged.bytesRead, ranged.requests], [123_457, 123_457, 1]);
  // A range past the end gives what there is; a stream from an offset gives the rest.
  assert.equal((await client.read('big/f.bin', { offset: size - 10, length: 100 })).length, 10);
  let tail = 0;
  for await (const chunk of client.createReadStream('big/f.bin', { offset: size - 1000 }))
    tail += chunk.length;
  assert.equal(tail, 1000);
});

test('source(): exact ranges with counters, the RandomAccessSource shape columnar readers use', async () => {
  const { client } = lake;
  const bytes = randomBytes(3 << 20);
  await client.writeFile('src/p.bin', bytes);
  const source = client.source('src/p.bin');
  assert.equal(source.name, `${lake.root}/src/p.bin`);
  assert.equal(await source.size(), bytes.length);
  const footer = await source.read(bytes.length - 8, 8);
  assert.ok(Buffer.from(footer).equals(bytes.subarray(bytes.length - 8)));
  const mid = await source.read(1_000_000, 65_536);
  assert.ok(Buffer.from(mid).equals(bytes.subarray(1_000_000, 1_065_536)));
  assert.equal(source.requests, 2);
  assert.equal(source.bytesRead, 8 + 65_536);
  await assert.rejects(
    source.read(bytes.length - 4, 8),
    (e: unknown) => e instanceof HdfsError && /gave 4/.test(e.message),
  );
});

test('readFile refuses files over its limit; reading a missing file is HdfsNotFoundError, in promises and streams', async () => {
  const { client } = lake;
  await client.writeFile('limit/x.bin', randomBytes(4096));
  await assert.rejects(client.readFile('limit/x.bin', { maxBytes: 4095 }), /over the 4095-byte limit/);
  await assert.rejects(
    client.readFile('limit/none'),
    (e: unknown) => e instanceof HdfsNotFoundError && e.path === `${lake.root}/limit/none`,
  );
  const stream = client.createReadStream('limit/none');
  let ended = false;
  stream.on('end', () => {
    ended = true;
  });
  await assert.rejects(
    (async () => {
      for await (const _ of stream);
    })(),
    HdfsNotFoundError,
  );
  assert.equal(ended, false, "no 'end' before or after the error");
});

test('a Readable of strings is written as UTF-8 and counted in bytes', async () => {
  const { client } = lake;
  const result = await client.writeFile('text/lines.txt', Readable.from(['héllo\n', 'wörld\n']));
  assert.equal(result.bytes, Buffer.byteLength('héllo\nwörld\n'));
  assert.equal(Buffer.from(await client.readFile('text/lines.txt')).toString('utf8'), 'héllo\nwörld\n');
});
