import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@lakestream/config';
import { startIngestService } from '@lakestream/ingest';
import type { BatchManifestFile } from '@lakestream/publish';
import { repoRoot } from '@lakestream/testkit';
import { lake, uniqueName } from '../etl/pipeline';

const HEADER = 'id,name,age,salary,signup_date,is_active';
const LIMIT = 200_000;

const csv = (n: number, firstId = 1): string =>
  `${HEADER}\n${Array.from({ length: n }, (_, i) => `${firstId + i},n${i},${20 + (i % 50)},${1000 + i}.5,2023-04-0${1 + (i % 9)},${i % 2 ? 'true' : 'false'}`).join('\n')}\n`;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('the ingest service publishes uploads over HTTP', () => {
  const config = loadConfig({
    home: process.env.LAKE_HOME ?? repoRoot(),
    overrides: { ingest: { maxUploadBytes: LIMIT }, log: { level: 'silent' } },
  });
  const clients = lake(config);
  const dataset = uniqueName('ingest-http');
  let service: Awaited<ReturnType<typeof startIngestService>>;

  before(async () => {
    service = await startIngestService({ config, port: 0, shutdownHooks: false });
  });
  after(async () => {
    await service.close();
    await clients.close();
    clients.hdfs.close();
  });

  const post = async (path: string, init: RequestInit): Promise<Answer> => {
    const res = await fetch(`${service.url}${path}`, { method: 'POST', ...init });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('a raw text/csv body: published, its manifest in HDFS; the same again is unchanged, other content 409', async () => {
    const url = `/ingest/batches?dataset=${dataset}&batch=raw&partitions=2&filename=people.csv`;
    const first = await post(url, { headers: { 'content-type': 'text/csv' }, body: csv(1000) });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.outcome, 'published');
    assert.equal(first.body.rows, 1000);
    assert.equal(first.body.partitions, 2);
    const m = await clients.readJson<BatchManifestFile>(clients.paths.manifest(dataset, 'raw'));
    assert.equal(m?.rows, 1000);
    assert.equal(m?.files.length, 2);

    const again = await post(url, { headers: { 'content-type': 'text/csv' }, body: csv(1000) });
    assert.equal(again.status, 201);
    assert.equal(again.body.outcome, 'unchanged');
    const other = await post(url, { headers: { 'content-type': 'text/csv' }, body: csv(999) });
    assert.equal(other.status, 409);
    assert.match(String(other.body.message), /already published with different content/);
  });

  it('multipart/form-data with two files: one batch', async () => {
    const form = new FormData();
    form.append('file', new Blob([csv(300)], { type: 'text/csv' }), 'a.csv');
    form.append('file', new Blob([csv(200, 10_000)], { type: 'text/csv' }), 'b.csv');
    const answer = await post(`/ingest/batches?dataset=${dataset}&batch=multi`, { body: form });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.rows, 500);
    const m = await clients.readJson<BatchManifestFile>(clients.paths.manifest(dataset, 'multi'));
    assert.deepEqual(m?.source.files, ['a.csv', 'b.csv']);
  });

  it('bad rows: 400 naming the uploaded file and line; nothing published', async () => {
    const answer = await post(`/ingest/batches?dataset=${dataset}&batch=bad&filename=bad.csv`, {
      headers: { 'content-type': 'text/csv' },
      body: `${HEADER}\n1,a,30,1.5,2024-01-01,true\n2,b,x,1.5,2024-01-01,true\n`,
    });
    assert.equal(answer.status, 400);
    assert.match(String(answer.body.message), /\n {2}bad\.csv, line 3, column age: "x" is not an int32/);
    assert.deepEqual(answer.body.badRows, [
      { file: 'bad.csv', line: 3, column: 'age', reason: '"x" is not an int32' },
    ]);
    assert.equal(answer.body.badRowCount, 1);
    assert.equal(await clients.hdfs.exists(clients.paths.manifest(dataset, 'bad')), false);
  });

  it('an upload beyond ingest.maxUploadBytes: 413, nothing published', async () => {
    const big = csv(20_000);
    assert.ok(big.length > LIMIT);
    const raw = await post(`/ingest/batches?dataset=${dataset}&batch=big`, {
      headers: { 'content-type': 'text/csv' },
      body: big,
    });
    assert.equal(raw.status, 413);
    assert.match(String(raw.body.message), /larger than the limit of 200000 bytes \(ingest\.maxUploadBytes/);
    // Without a Content-Length (chunked), the limit is enforced while the body streams in.
    const chunks = [big.slice(0, 150_000), big.slice(150_000)];
    const chunked = await post(`/ingest/batches?dataset=${dataset}&batch=big`, {
      headers: { 'content-type': 'text/csv' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    const form = new FormData();
    form.append('file', new Blob([big]), 'big.csv');
    const multipart = await post(`/ingest/batches?dataset=${dataset}&batch=big`, { body: form });
    assert.equal(multipart.status, 413);
    // The same multipart body streamed without a Content-Length.
    const encoded = new Response(form);
    const chunkedForm = await post(`/ingest/batches?dataset=${dataset}&batch=big`, {
      headers: { 'content-type': encoded.headers.get('content-type')! },
      body: encoded.body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunkedForm.status, 413);
    assert.equal(await clients.hdfs.exists(clients.paths.manifest(dataset, 'big')), false);
  });

  it('a synthetic batch through POST /ingest/synthetic', async () => {
    const answer = await post('/ingest/synthetic', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset, batch: 'synth', rows: 5000, partitions: 2, seed: 7 }),
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.rows, 5000);
    const missing = await post('/ingest/synthetic', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset }),
    });
    assert.equal(missing.status, 400);
  });

  it('serves its OpenAPI description', async () => {
    const res = await fetch(`${service.url}/ingest/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/ingest/batches']?.post);
    assert.ok(doc.paths['/ingest/synthetic']?.post);
  });
});
