import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { HdfsClient, HdfsConnectionError, HdfsNotFoundError, HdfsQuotaExceededError } from '@lakestream/hdfs';
import { stackConfig } from '../stack/config';
import { dfsadmin, type TestLake, testLake } from './lake';

let lake: TestLake;
before(async () => {
  lake = await testLake('faults');
});
after(async () => {
  await lake?.cleanup();
});

test('a space quota set by dfsadmin stops writes with HdfsQuotaExceededError naming the path, even after the body was sent', async () => {
  const { client, root } = lake;
  await client.mkdirs('q');
  dfsadmin('-setSpaceQuota', '1m', `${root}/q`);
  try {
    assert.equal(
      (await client.contentSummary('q')).spaceQuota,
      1 << 20,
      'our client reads the quota dfsadmin set',
    );
    // 1 KiB goes out in one piece before the DataNode asks the NameNode for a block and fails.
    await assert.rejects(client.writeFile('q/small.bin', randomBytes(1024)), (e: unknown) => {
      assert.ok(e instanceof HdfsQuotaExceededError, String(e));
      assert.equal(e.quota, 'space');
      assert.equal(e.path, `${root}/q/small.bin`);
      assert.equal(e.retriable, false);
      assert.match(e.message, new RegExp(`${root}/q`));
      return true;
    });
    // An atomic write stages outside the quota, then the rename into it is refused: nothing appears.
    await client.delete('q/small.bin');
    await assert.rejects(client.writeAtomically('q/big.bin', randomBytes(2 << 20)), HdfsQuotaExceededError);
    assert.equal(await client.exists('q/big.bin'), false);
    const leftovers = await client.list('_tmp').catch((e) => {
      if (e instanceof HdfsNotFoundError) return [];
      throw e;
    });
    assert.deepEqual(leftovers, []);
  } finally {
    // Cleared through WebHDFS SETQUOTA (one JVM start per dfsadmin call is slow).
    await client.setQuota('q', { space: -1 });
  }
  assert.equal((await client.contentSummary('q')).spaceQuota, -1);
  await client.writeFile('q/after.bin', randomBytes(1024));
});

test('a name quota stops mkdirs with a namespace HdfsQuotaExceededError', async () => {
  const { client, root } = lake;
  await client.mkdirs('nq');
  await client.setQuota('nq', { namespace: 2 });
  try {
    await client.mkdirs('nq/one');
    await assert.rejects(
      client.mkdirs('nq/two'),
      (e: unknown) =>
        e instanceof HdfsQuotaExceededError && e.quota === 'namespace' && e.path === `${root}/nq/two`,
    );
  } finally {
    await client.setQuota('nq', { namespace: -1 });
  }
  await client.mkdirs('nq/two');
});

test('connection refused ends in HdfsConnectionError after the configured, bounded retries', async () => {
  const retries: number[] = [];
  const client = new HdfsClient({
    namenodeUrl: 'http://127.0.0.1:1',
    user: stackConfig().hdfs.user,
    lakeRoot: '/lake',
    retry: { retries: 4, initialDelayMs: 5, maxDelayMs: 20, onRetry: (_e, attempt) => retries.push(attempt) },
  });
  try {
    const started = Date.now();
    await assert.rejects(client.stat('anything'), (e: unknown) => {
      assert.ok(e instanceof HdfsConnectionError, String(e));
      assert.equal(e.code, 'ECONNREFUSED');
      assert.equal(e.retriable, true);
      assert.equal(e.path, '/lake/anything');
      return true;
    });
    assert.deepEqual(retries, [1, 2, 3], 'four attempts in all');
    assert.ok(Date.now() - started < 5000);
    await assert.rejects(client.writeFile('x', 'data'), HdfsConnectionError);
    const stream = client.createReadStream('x');
    await assert.rejects(
      (async () => {
        for await (const _ of stream);
      })(),
      HdfsConnectionError,
    );
  } finally {
    client.close();
  }
});
