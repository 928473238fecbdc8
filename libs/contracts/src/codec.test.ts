import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isRetriable } from '@lakestream/core';
import { createRegistryCodec, type MessageCodec, type RegistryCodec } from './codec';
import {
  IncompatibleSchemaError,
  RegistryUnavailableError,
  SchemaMismatchError,
  UndecodableMessageError,
  UnknownTopicError,
} from './errors';
import { EXAMPLES } from './examples';
import { SCHEMAS } from './generated/schemas';
import type { ChunkDescriptor } from './generated/types';
import { parseSchema } from './schemas';

/** A stand-in for the registry's ccompat API: just enough to observe what the codec asks. */
interface StandIn {
  url: string;
  log: string[];
  schemas: Map<number, string>;
  failNext: number;
  refuse: boolean;
}
let server: Server;
const registry: StandIn = { url: '', log: [], schemas: new Map(), failNext: 0, refuse: false };

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      registry.log.push(`${req.method} ${(req.url ?? '').replace(/^\/apis\/ccompat\/v7/, '')}`);
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (registry.failNext > 0) {
        registry.failNext--;
        return send(503, { message: 'warming up', error_code: 50301 });
      }
      const url = (req.url ?? '').replace(/^\/apis\/ccompat\/v7/, '');
      if (req.method === 'PUT' && url.startsWith('/config/')) return send(200, JSON.parse(body));
      if (req.method === 'POST' && /^\/subjects\/[^/]+\/versions$/.test(url)) {
        if (registry.refuse) return send(409, { message: 'Incompatible artifact', error_code: 409 });
        const { schema } = JSON.parse(body);
        const known = [...registry.schemas].find(([, s]) => s === schema);
        const id = known ? known[0] : registry.schemas.size + 100;
        registry.schemas.set(id, schema);
        return send(200, { id });
      }
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(url);
      if (req.method === 'GET' && byId) {
        const schema = registry.schemas.get(Number(byId[1]));
        return schema ? send(200, { schema }) : send(404, { message: 'not found', error_code: 40403 });
      }
      send(404, {});
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/ccompat/v7`;
});
after(() => server.close());

const fast = { retries: 3, initialDelayMs: 5, maxDelayMs: 10 };
const codec = (): RegistryCodec => createRegistryCodec({ url: registry.url, retry: fast });

test('encode frames Avro as magic 0 + schema id, registering once after setting BACKWARD', async () => {
  registry.log.length = 0;
  const c = codec();
  const a = await c.encode('lake.chunks.raw', EXAMPLES.ChunkDescriptor);
  const b = await c.encode('lake.chunks.raw', { ...EXAMPLES.ChunkDescriptor, partition: 0 });
  assert.equal(a[0], 0);
  const id = a.readUInt32BE(1);
  assert.equal(b.readUInt32BE(1), id);
  assert.deepEqual(registry.log, [
    'PUT /config/lake.chunks.raw-value',
    'POST /subjects/lake.chunks.raw-value/versions',
  ]);
  const type = parseSchema(SCHEMAS.ChunkDescriptor);
  assert.deepEqual(a.subarray(5), type.toBuffer(EXAMPLES.ChunkDescriptor));
  // Its own ids need no lookup; a fresh codec fetches the writer schema once.
  assert.deepEqual(await c.decode(a, 'lake.chunks.raw'), EXAMPLES.ChunkDescriptor);
  assert.equal(registry.log.length, 2);
  const reader = codec();
  assert.deepEqual(await reader.decode(a), EXAMPLES.ChunkDescriptor);
  assert.deepEqual(await reader.decode(b), { ...EXAMPLES.ChunkDescriptor, partition: 0 });
  assert.deepEqual(registry.log.slice(2), [`GET /schemas/ids/${id}`]);
});

test('every contract round-trips through its topic, and dead letters through any .dlq topic', async () => {
  const c = codec();
  const cases: [string, unknown][] = [
    ['lake.batches', EXAMPLES.BatchManifest],
    ['lake.chunks.clean', EXAMPLES.ChunkDescriptor],
    ['lake.etl.partials', EXAMPLES.EtlPartial],
    ['lake.etl.reports', EXAMPLES.EtlReport],
    ['lake.training.jobs', EXAMPLES.TrainingJob],
    ['lake.training.trials', EXAMPLES.TrialSpec],
    ['lake.training.results', EXAMPLES.TrialResult],
    ['lake.models', EXAMPLES.ModelPublished],
    ['lake.predictions', EXAMPLES.PredictionsWritten],
    ['lake.alerts', EXAMPLES.DriftDetected],
    ['lake.chunks.raw.dlq', EXAMPLES.DeadLetter],
  ];
  for (const [topic, value] of cases)
    assert.deepEqual(await c.decode(await c.encode(topic, value), topic), value, topic);
});

test('a value that does not match is refused before anything is registered', async () => {
  registry.log.length = 0;
  const c = codec();
  await assert.rejects(
    c.encode('lake.models', { ...EXAMPLES.ModelPublished, metrics: { mse: 'low' } } as never),
    (e: unknown) =>
      e instanceof SchemaMismatchError &&
      e.field === 'ModelPublished.metrics["mse"]' &&
      e.expected === 'double' &&
      e.value === 'low' &&
      !e.retriable,
  );
  await assert.rejects(c.encode('lake.nowhere', {}), UnknownTopicError);
  assert.deepEqual(registry.log, []);
});

test('an outage is retriable: unreachable registry, and 5xx beyond the retries', async () => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as AddressInfo).port;
  closed.close();
  await once(closed, 'close');
  const down = createRegistryCodec({ url: `http://127.0.0.1:${port}/apis/ccompat/v7`, retry: fast });
  await assert.rejects(down.encode('lake.models', EXAMPLES.ModelPublished), (e: unknown) => {
    assert.ok(e instanceof RegistryUnavailableError && isRetriable(e), String(e));
    assert.match((e as Error).message, /ECONNREFUSED/);
    return true;
  });
  await assert.rejects(down.decode(Buffer.from([0, 0, 0, 0, 100, 2])), RegistryUnavailableError);

  registry.failNext = 10;
  await assert.rejects(codec().decode(Buffer.from([0, 0, 0, 0, 100, 2])), RegistryUnavailableError);
  // A short 503 spell is ridden out by the client's own retries.
  registry.failNext = 2;
  const c = codec();
  const bytes = await c.encode('lake.training.jobs', EXAMPLES.TrainingJob);
  registry.failNext = 0;
  // The failed lookup was not cached: once the registry is back the same codec decodes.
  const reader = codec();
  registry.failNext = 3;
  await assert.rejects(reader.decode(bytes), RegistryUnavailableError);
  assert.deepEqual(await reader.decode(bytes), EXAMPLES.TrainingJob);
});

test('bad payloads are UndecodableMessageError (not retriable): short, bad magic, unknown id, bad body, wrong topic', async () => {
  const c = codec();
  const good = await c.encode('lake.training.trials', EXAMPLES.TrialSpec);
  const bad = (p: Buffer, topic?: string, reason?: RegExp) =>
    assert.rejects(c.decode(p, topic), (e: unknown) => {
      assert.ok(e instanceof UndecodableMessageError && !e.retriable, String(e));
      if (reason) assert.match((e as Error).message, reason);
      return true;
    });
  await bad(Buffer.from([0, 0, 0]), undefined, /shorter than the 5-byte header/);
  await bad(Buffer.from('{"json":true}'), undefined, /magic byte 123/);
  await bad(Buffer.from([0, 0, 0, 0x7f, 0xff, 1]), undefined, /schema id 32767 is unknown/);
  await bad(good.subarray(0, good.length - 4), undefined, /truncated/);
  await bad(Buffer.concat([good, Buffer.from([1, 2])]), undefined, /trailing data/);
  await bad(good, 'lake.models', /cannot be read as ModelPublished/);
});

test('a reader resolves an older writer schema: fields added with a default appear', async () => {
  const old = JSON.parse(JSON.stringify(SCHEMAS.ChunkDescriptor));
  old.fields = old.fields.filter(
    (f: { name: string }) => !['producer', 'attempt', 'rowGroups'].includes(f.name),
  );
  const id = 9000;
  registry.schemas.set(id, JSON.stringify(old));
  const { producer: _p, attempt: _a, rowGroups: _r, ...written } = EXAMPLES.ChunkDescriptor;
  const header = Buffer.from([0, 0, 0, 0, 0]);
  header.writeUInt32BE(id, 1);
  const payload = Buffer.concat([header, parseSchema(old).toBuffer(written)]);
  const c = codec();
  assert.deepEqual(await c.decode(payload, 'lake.chunks.clean'), {
    ...written,
    rowGroups: null,
    attempt: 1,
    producer: null,
  });
  assert.deepEqual(await c.decode(payload), written, 'without a topic: as written');
});

test('an incompatible schema is IncompatibleSchemaError, not retriable', async () => {
  registry.refuse = true;
  try {
    await assert.rejects(
      codec().register('lake.etl.reports'),
      (e: unknown) =>
        e instanceof IncompatibleSchemaError && e.subject === 'lake.etl.reports-value' && !e.retriable,
    );
  } finally {
    registry.refuse = false;
  }
});

test('types: encode is checked per topic, and the codec is a MessageCodec', () => {
  const c = codec();
  const asRunnerCodec: MessageCodec = c;
  assert.ok(asRunnerCodec);
  const chunk: ChunkDescriptor = EXAMPLES.ChunkDescriptor;
  // Compile-time checks only: never called.
  const _typed = () => {
    void c.encode('lake.chunks.raw', chunk);
    // @ts-expect-error a TrainingJob is not a ChunkDescriptor
    void c.encode('lake.chunks.raw', EXAMPLES.TrainingJob);
    // @ts-expect-error rows is a number
    void c.encode('lake.chunks.clean', { ...chunk, rows: '12' });
    // @ts-expect-error dead-letter topics take DeadLetter
    void c.encode('lake.models.dlq', EXAMPLES.ModelPublished);
    void c.encode('some.other.topic', { anything: true });
  };
  assert.equal(typeof _typed, 'function');
});
