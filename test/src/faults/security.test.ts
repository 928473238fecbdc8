import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { chunkKey, TOPICS } from '@lakestream/contracts';
import { HdfsClient, HdfsPathError } from '@lakestream/hdfs';
import { uniqueName } from '../etl/pipeline';
import { scenario } from './common';
import { EtlProcess, ServiceProcess } from './harness';
import { checkInvariants } from './invariants';

// Security against the real services and stack: traversal out of the lake root, the upload
// limit, the API token beyond loopback, and secrets kept out of the logs.
const s = scenario('fault-security');
const { config, clients, dataset } = s;
const processes: ServiceProcess[] = [];
// Outside the lake root, at the NameNode's top level: nothing here may ever be created.
const outside = uniqueName('outside-lake');
const rootClient = new HdfsClient({
  namenodeUrl: config.hdfs.namenodeUrl,
  user: config.hdfs.user,
  lakeRoot: '/',
});
// Unique values, so finding one in a log can only mean it leaked.
const TOKEN = `lake-token-${randomUUID()}`;
const WRONG = `wrong-token-${randomUUID()}`;

after(async () => {
  for (const p of processes) await p.stop();
  await rootClient.delete(`/${outside}`, { recursive: true }).catch(() => false);
  rootClient.close();
  await s.cleanup();
});

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('traversal out of the lake root', () => {
  it('is refused by the HDFS client before the NameNode is asked, for every operation', async () => {
    const { hdfs } = clients;
    const attempts = [
      `../${outside}/f`,
      `${hdfs.lakeRoot}/../${outside}/f`,
      `/${outside}/f`,
      `${dataset}/raw/../../../${outside}/f`,
      `${dataset}/%2e%2e/%2e%2e/${outside}/f`,
      `${dataset}\\..\\..\\${outside}\\f`,
      `${dataset}/raw/\u0000/../../${outside}/f`,
    ];
    for (const path of attempts) {
      const refused = (error: unknown) =>
        error instanceof HdfsPathError && error.message.includes(JSON.stringify(path));
      await assert.rejects(hdfs.writeFile(path, 'x'), refused, `writeFile ${path}`);
      await assert.rejects(hdfs.writeAtomically(path, 'x'), refused, `writeAtomically ${path}`);
      await assert.rejects(hdfs.createExclusive(path, 'x'), refused, `createExclusive ${path}`);
      await assert.rejects(hdfs.mkdirs(path), refused, `mkdirs ${path}`);
      await assert.rejects(hdfs.readFile(path), refused, `readFile ${path}`);
      await assert.rejects(hdfs.list(path), refused, `list ${path}`);
      await assert.rejects(hdfs.delete(path, { recursive: true }), refused, `delete ${path}`);
      await assert.rejects(hdfs.rename(`${dataset}/x`, path), refused, `rename onto ${path}`);
      await assert.rejects(hdfs.setTimes(path, { modificationTime: 0 }), refused, `setTimes ${path}`);
    }
    await assert.rejects(hdfs.delete(hdfs.lakeRoot, { recursive: true }), HdfsPathError, 'the root itself');
    assert.equal(await rootClient.exists(`/${outside}`), false, 'nothing was created outside the lake root');
  });

  it('a descriptor naming a file outside the lake root, or a dataset name that climbs, is dead-lettered naming it; the batch beside it completes', async (t) => {
    const etl = await EtlProcess.create(config);
    processes.push(etl);
    await etl.start();
    const published = await s.publish('b1', 6);
    assert.equal(published.outcome, 'published');
    // A real file outside the root, so "refused" cannot be mistaken for "not found".
    const stolen = `/${outside}/part-00000.parquet`;
    const real = await clients.hdfs.readFile(clients.paths.rawPartition(dataset, 'b1', 0));
    await rootClient.writeFile(stolen, real);
    const base = {
      partition: 0,
      partitions: 1,
      stage: 'raw' as const,
      rows: 2000,
      bytes: real.length,
      checksum: '0'.repeat(64),
      schemaFingerprint: 'x',
      createdAt: Date.now(),
      lineage: [],
      rowGroups: null,
      attempt: 1,
      producer: 'faults-security',
    };
    const climbing = `${clients.paths.rawBatch(dataset, 'b1')}/../../../../${outside}/part-00000.parquet`;
    const producer = await clients.producer();
    await producer.send(TOPICS.chunksRaw.name, [
      { key: chunkKey(dataset, 'abs', 0), value: { ...base, dataset, batch: 'abs', path: stolen } },
      { key: chunkKey(dataset, 'climb', 0), value: { ...base, dataset, batch: 'climb', path: climbing } },
      {
        // A key that lands in this test's dataset, a dataset name that would climb out.
        key: `${dataset}/evil/0`,
        value: {
          ...base,
          dataset: `../${outside}`,
          batch: 'evil',
          path: clients.paths.rawPartition(dataset, 'b1', 0),
        },
      },
    ]);
    const result = await checkInvariants(config, clients, {
      dataset,
      batch: 'b1',
      since: s.since,
      deadLetters: [
        { key: chunkKey(dataset, 'abs', 0), error: new RegExp(`${escapeRe(stolen)}.*outside the lake root`) },
        { key: chunkKey(dataset, 'climb', 0), error: /outside the lake root/ },
        { key: `${dataset}/evil/0`, error: new RegExp(escapeRe(`../${outside}`)) },
      ],
    });
    // Only the planted file is outside: nothing was written next to it, nothing cleaned from it.
    assert.deepEqual(
      (await rootClient.list(`/${outside}`)).map((f) => f.name),
      ['part-00000.parquet'],
    );
    for (const batch of ['abs', 'climb', 'evil'])
      assert.ok(!(await clients.hdfs.exists(clients.paths.cleanBatch(dataset, batch))), batch);
    t.diagnostic(
      `faults: ${JSON.stringify({ scenario: 'traversal descriptors', inFlight: result.rawDescriptors + 3, ...result })}`,
    );
    await etl.stop();
  });
});

describe('services bound beyond loopback', () => {
  for (const service of ['etl', 'ingest'] as const) {
    it(`${service} refuses to start without an API token, saying why`, async () => {
      const p = await ServiceProcess.of(service, config, {
        env: { LAKE_HTTP_HOST: '0.0.0.0', LAKE_API_TOKEN: '' },
      });
      processes.push(p);
      p.spawn();
      const code = await Promise.race([
        p.exited(),
        new Promise((r) => setTimeout(() => r('running'), 30_000)),
      ]);
      assert.notEqual(code, 'running', 'the service exited');
      assert.notEqual(code, 0, 'with a failure code');
      assert.match(p.output, /0\.0\.0\.0/);
      assert.match(p.output, /token/i);
    });
  }

  describe('ingest with a token, an upload limit and debug logging', () => {
    const LIMIT = 100_000;
    let ingest: ServiceProcess;
    let base: string;
    const auth = { authorization: `Bearer ${TOKEN}` };

    before(async () => {
      ingest = await ServiceProcess.of('ingest', config, {
        env: {
          LAKE_HTTP_HOST: '0.0.0.0',
          LAKE_API_TOKEN: TOKEN,
          LAKE_INGEST_MAX_UPLOAD_BYTES: String(LIMIT),
          LAKE_LOG_LEVEL: 'debug',
        },
      });
      processes.push(ingest);
      await ingest.start();
      base = `http://127.0.0.1:${ingest.port}`;
    });

    it('requires the bearer token on its API (health stays open for probes)', async () => {
      assert.equal((await fetch(`${base}/health/live`)).status, 200);
      assert.equal((await fetch(`${base}/ingest/info`)).status, 401);
      const wrong = await fetch(`${base}/ingest/info`, { headers: { authorization: `Bearer ${WRONG}` } });
      assert.equal(wrong.status, 401);
      assert.ok(!(await wrong.text()).includes(WRONG), 'the refused token is not echoed');
      const info = await fetch(`${base}/ingest/info`, { headers: auth });
      assert.equal(info.status, 200);
      assert.ok(!(await info.text()).includes(TOKEN), 'the token is not echoed');
      const unauthorised = await fetch(`${base}/ingest/synthetic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRONG}` },
        body: JSON.stringify({ dataset, batch: 'noauth', rows: 10 }),
      });
      assert.equal(unauthorised.status, 401);
      assert.ok(!(await clients.hdfs.exists(clients.paths.rawBatch(dataset, 'noauth'))), 'nothing published');
    });

    it('refuses dataset and batch names that could leave the lake root, naming them (400)', async () => {
      const outside = uniqueName('outside-ingest');
      const bad = [
        { dataset: `../${outside}`, batch: 'b' },
        { dataset: '..', batch: 'b' },
        { dataset, batch: `../../${outside}` },
        { dataset, batch: 'a/b' },
        { dataset: `${dataset}/../${outside}`, batch: 'b' },
      ];
      for (const names of bad) {
        const res = await fetch(`${base}/ingest/synthetic`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ ...names, rows: 10 }),
        });
        const body = (await res.json()) as { message?: string };
        assert.equal(res.status, 400, JSON.stringify({ names, body }));
        const named = names.dataset === dataset ? names.batch : names.dataset;
        assert.ok(String(body.message).includes(named), `the error names ${named}: ${body.message}`);
      }
      const upload = await fetch(
        `${base}/ingest/batches?dataset=${encodeURIComponent(`../${outside}`)}&batch=b&filename=x.csv`,
        { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: 'id,name\n1,a\n' },
      );
      assert.equal(upload.status, 400);
      assert.equal(await rootClient.exists(`/${outside}`), false);
    });

    it('answers 413 to an upload over ingest.maxUploadBytes and publishes nothing', async () => {
      const header = 'id,name,age,salary,signup_date,is_active\n';
      const row = (i: number) => `${i},Alice,30,50000.5,2020-01-01,true\n`;
      let body = header;
      for (let i = 1; body.length <= LIMIT * 2; i++) body += row(i);
      const res = await fetch(`${base}/ingest/batches?dataset=${dataset}&batch=big&filename=big.csv`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body,
      });
      assert.equal(res.status, 413);
      assert.match(String(((await res.json()) as { message?: string }).message), /ingest\.maxUploadBytes/);
      assert.ok(!(await clients.hdfs.exists(clients.paths.rawBatch(dataset, 'big'))), 'nothing published');
    });

    it('never writes the API token (or a refused one) to its log', async () => {
      await ingest.stop();
      const log = ingest.output;
      assert.ok(
        log.split('\n').filter(Boolean).length >= 5,
        `the service logged its work:\n${log.slice(0, 2000)}`,
      );
      assert.ok(!log.includes(TOKEN), 'the API token leaked into the log');
      assert.ok(!log.includes(WRONG), 'a refused token leaked into the log');
    });
  });
});
