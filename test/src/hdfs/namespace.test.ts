import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  HdfsAlreadyExistsError,
  HdfsError,
  HdfsNotFoundError,
  HdfsPathError,
  HdfsRenameError,
} from '@lakestream/hdfs';
import { type TestLake, testLake } from './lake';

let lake: TestLake;
before(async () => {
  lake = await testLake('ns');
});
after(async () => {
  await lake?.cleanup();
});

test('rename moves a file; list, iterate and exists agree', async () => {
  const { client, root } = lake;
  await client.writeFile('r/a.txt', 'a');
  await client.rename('r/a.txt', 'r/b.txt');
  assert.equal(await client.exists('r/a.txt'), false);
  assert.equal(Buffer.from(await client.readFile('r/b.txt')).toString(), 'a');
  const listed = await client.list('r');
  assert.deepEqual(
    listed.map((s) => [s.path, s.type, s.length]),
    [[`${root}/r/b.txt`, 'FILE', 1]],
  );
  const iterated: string[] = [];
  for await (const s of client.iterate('r')) iterated.push(s.name);
  assert.deepEqual(iterated, ['b.txt']);
});

test('a failed rename is reported, naming both paths and why: destination exists, source missing, no parent', async () => {
  const { client, root } = lake;
  await client.writeFile('rf/src.txt', 'source');
  await client.writeFile('rf/dst.txt', 'destination');
  await assert.rejects(client.rename('rf/src.txt', 'rf/dst.txt'), (e: unknown) => {
    assert.ok(e instanceof HdfsRenameError, String(e));
    assert.equal(e.source, `${root}/rf/src.txt`);
    assert.equal(e.destination, `${root}/rf/dst.txt`);
    assert.equal(e.reason, 'the destination already exists');
    assert.equal(e.retriable, false);
    return true;
  });
  // Nothing moved: both files keep their bytes.
  assert.equal(Buffer.from(await client.readFile('rf/src.txt')).toString(), 'source');
  assert.equal(Buffer.from(await client.readFile('rf/dst.txt')).toString(), 'destination');
  await assert.rejects(
    client.rename('rf/missing.txt', 'rf/other.txt'),
    (e: unknown) => e instanceof HdfsRenameError && e.reason === 'the source does not exist',
  );
  await assert.rejects(
    client.rename('rf/src.txt', 'rf/no/such/dir/x.txt'),
    (e: unknown) => e instanceof HdfsRenameError && /parent folder does not exist/.test(e.reason),
  );
  assert.equal(await client.exists('rf/other.txt'), false);
});

test('renameNoReplace never replaces nor moves into a folder', async () => {
  const { client } = lake;
  await client.writeFile('nr/a', 'a');
  await client.mkdirs('nr/dir');
  await assert.rejects(client.renameNoReplace('nr/a', 'nr/dir'), HdfsAlreadyExistsError);
  await assert.rejects(client.renameNoReplace('nr/none', 'nr/b'), HdfsNotFoundError);
  await client.renameNoReplace('nr/a', 'nr/b');
  assert.deepEqual((await client.list('nr')).map((s) => s.name).sort(), ['b', 'dir']);
});

test('delete and mkdirs results are checked', async () => {
  const { client } = lake;
  await client.mkdirs('d/x/y/z');
  await client.mkdirs('d/x/y/z');
  assert.equal((await client.stat('d/x/y/z')).type, 'DIRECTORY');
  await client.writeFile('d/file', 'f');
  // mkdirs over a file is an error, not a silent false.
  await assert.rejects(client.mkdirs('d/file'), HdfsAlreadyExistsError);
  await assert.rejects(client.mkdirs('d/file/sub'), HdfsError);
  assert.equal(await client.delete('d/file'), true);
  assert.equal(await client.delete('d/file'), false, 'nothing left to delete');
  // A non-empty folder needs recursive.
  await assert.rejects(
    client.delete('d/x'),
    (e: unknown) => e instanceof HdfsError && /PathIsNotEmptyDirectory/.test(e.message),
  );
  assert.equal(await client.delete('d/x', { recursive: true }), true);
  assert.equal(await client.exists('d/x'), false);
});

test('typed errors for not found and already exists carry the path', async () => {
  const { client, root } = lake;
  await assert.rejects(
    client.stat('t/none'),
    (e: unknown) => e instanceof HdfsNotFoundError && e.path === `${root}/t/none` && e.status === 404,
  );
  await assert.rejects(client.list('t/none'), HdfsNotFoundError);
  await client.writeFile('t/one', 'x');
  await assert.rejects(
    client.writeFile('t/one', 'y'),
    (e: unknown) =>
      e instanceof HdfsAlreadyExistsError &&
      e.path === `${root}/t/one` &&
      e.remoteException?.exception === 'FileAlreadyExistsException',
  );
  await client.writeFile('t/one', 'yz', { overwrite: true });
  assert.equal((await client.stat('t/one')).length, 2);
});

test('paths outside the lake root are refused before any request', async () => {
  const { client, root } = lake;
  const escapes = [
    '../x',
    `${root}/../x`,
    '/lake/x',
    '/tmp',
    'a/../../x',
    '%2e%2e/x',
    'a\u0000b',
    `${root}x/y`,
  ];
  for (const p of escapes) {
    await assert.rejects(client.stat(p), HdfsPathError, `stat ${JSON.stringify(p)}`);
    await assert.rejects(client.writeFile(p, 'x'), HdfsPathError, `writeFile ${JSON.stringify(p)}`);
    await assert.rejects(client.delete(p, { recursive: true }), HdfsPathError, `delete ${JSON.stringify(p)}`);
    assert.throws(() => client.createReadStream(p), HdfsPathError);
  }
  await assert.rejects(client.rename('a', '../outside'), HdfsPathError);
  await assert.rejects(
    client.delete(root, { recursive: true }),
    HdfsPathError,
    'the root itself cannot be deleted',
  );
  await assert.rejects(client.delete('.', { recursive: true }), HdfsPathError);
  assert.equal(await client.exists(root), true);
  // Names with spaces or '=' are encoded, not misread.
  await client.writeFile('enc/batch=b 1/part #1.txt', 'ok');
  assert.equal((await client.list('enc/batch=b 1'))[0].name, 'part #1.txt');
});

test('content summary and quotas set through WebHDFS', async () => {
  const { client } = lake;
  await client.mkdirs('cs/a');
  await client.writeFile('cs/a/f', new Uint8Array(1000));
  await client.setQuota('cs', { namespace: 100, space: 64 << 20 });
  const s = await client.contentSummary('cs');
  assert.deepEqual(
    [s.fileCount, s.directoryCount, s.length, s.quota, s.spaceQuota],
    [1, 2, 1000, 100, 64 << 20],
  );
  await client.setQuota('cs', { namespace: -1, space: -1 });
  const cleared = await client.contentSummary('cs');
  assert.deepEqual([cleared.quota, cleared.spaceQuota], [-1, -1]);
});

test('iterate pages through a folder bigger than one LISTSTATUS_BATCH answer (dfs.ls.limit = 1000)', async () => {
  const { client } = lake;
  const names = Array.from({ length: 1203 }, (_, i) => `d-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < names.length; i += 32) {
    await Promise.all(names.slice(i, i + 32).map((n) => client.mkdirs(`many/${n}`)));
  }
  const seen: string[] = [];
  for await (const s of client.iterate('many')) seen.push(s.name);
  assert.deepEqual(seen, names);
  assert.equal((await client.list('many')).length, names.length);
});
