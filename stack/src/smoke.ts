import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { LakeConfig } from '@lakestream/config';
import { LakeError } from '@lakestream/core';
import { Kafka, logLevel } from 'kafkajs';

export interface SmokeResult {
  schemaId: number;
  kafkaRoundTripMs: number;
  hdfsBytes: number;
  hdfsRoundTripMs: number;
  seconds: number;
}

const SMOKE_SCHEMA = {
  type: 'record',
  name: 'SmokePing',
  namespace: 'dev.lakestream.smoke',
  doc: 'A message that proves the registry, Kafka and the codec work together.',
  fields: [
    { name: 'id', type: 'string', doc: 'Unique per round trip.' },
    { name: 'sentAt', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When it was sent.' },
  ],
};

/**
 * One round trip through every server of the stack: register an Avro schema, produce and
 * consume a message encoded with it, write a file to HDFS, read it back byte for byte and
 * rename it, checking the rename's answer.
 */
export async function smokeRoundTrip(
  config: LakeConfig,
  log: (line: string) => void = () => undefined,
): Promise<SmokeResult> {
  const started = Date.now();
  const run = randomUUID().slice(0, 8);
  const topic = `lake.smoke.${run}`;

  const registry = new SchemaRegistry({ host: config.registry.url });
  const { id: schemaId } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(SMOKE_SCHEMA) },
    { subject: `${topic}-value` },
  );
  log(`registry: schema id ${schemaId} for ${topic}-value`);

  const kafka = new Kafka({
    clientId: 'lake-smoke',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const kafkaStarted = Date.now();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: config.kafka.replicationFactor }],
      waitForLeaders: true,
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = { id: run, sentAt: Date.now() };
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: run, value: await registry.encode(schemaId, sent) }],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `lake-smoke-${run}`, sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new LakeError(`no message came back from ${topic} within 30 s`)),
        30_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(await registry.decode(message.value as Buffer));
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    if (JSON.stringify(received) !== JSON.stringify(sent)) {
      throw new LakeError(
        `Kafka round trip changed the message: sent ${JSON.stringify(sent)}, got ${JSON.stringify(received)}`,
      );
    }
    log(`kafka: produced and consumed ${topic} in ${Date.now() - kafkaStarted} ms`);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  const kafkaRoundTripMs = Date.now() - kafkaStarted;

  const hdfsStarted = Date.now();
  const bytes = randomBytes(1 << 20);
  const dir = `${config.hdfs.lakeRoot}/_smoke/${run}`;
  await webhdfsCreate(config, `${dir}/a.bin`, bytes);
  const back = await webhdfsOpen(config, `${dir}/a.bin`);
  if (!back.equals(bytes)) throw new LakeError(`HDFS returned different bytes for ${dir}/a.bin`);
  const renamed = await webhdfsOp(
    config,
    'PUT',
    `${dir}/a.bin`,
    `op=RENAME&destination=${encodeURIComponent(`${dir}/b.bin`)}`,
  );
  if ((renamed as { boolean?: boolean }).boolean !== true)
    throw new LakeError(`HDFS rename of ${dir}/a.bin answered ${JSON.stringify(renamed)}`);
  const refused = await webhdfsOp(
    config,
    'PUT',
    `${dir}/a.bin`,
    `op=RENAME&destination=${encodeURIComponent(`${dir}/c.bin`)}`,
  );
  if ((refused as { boolean?: boolean }).boolean !== false)
    throw new LakeError(`renaming a missing file was not refused: ${JSON.stringify(refused)}`);
  await webhdfsOp(config, 'DELETE', dir, 'op=DELETE&recursive=true');
  log(`hdfs: wrote, read back and renamed 1 MiB under ${dir} in ${Date.now() - hdfsStarted} ms`);
  return {
    schemaId,
    kafkaRoundTripMs,
    hdfsBytes: bytes.length,
    hdfsRoundTripMs: Date.now() - hdfsStarted,
    seconds: (Date.now() - started) / 1000,
  };
}

const webhdfsUrl = (config: LakeConfig, path: string, query: string): string =>
  `${config.hdfs.namenodeUrl}/webhdfs/v1${path}?${query}&user.name=${encodeURIComponent(config.hdfs.user)}`;

async function webhdfsOp(config: LakeConfig, method: string, path: string, query: string): Promise<unknown> {
  const res = await fetch(webhdfsUrl(config, path, query), { method });
  const body = await res.text();
  if (!res.ok) throw new LakeError(`WebHDFS ${method} ${path} (${query}) answered ${res.status}: ${body}`);
  return JSON.parse(body);
}

async function webhdfsCreate(config: LakeConfig, path: string, data: Buffer): Promise<void> {
  const first = await fetch(webhdfsUrl(config, path, 'op=CREATE&overwrite=false&noredirect=true'), {
    method: 'PUT',
  });
  if (!first.ok)
    throw new LakeError(`WebHDFS CREATE ${path} answered ${first.status}: ${await first.text()}`);
  const { Location } = (await first.json()) as { Location: string };
  // The DataNode answers "100 Continue" unasked, which fetch (undici) rejects; node:http handles it.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(Location, { method: 'PUT', headers: { 'content-length': data.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
  if (status !== 201) throw new LakeError(`DataNode CREATE ${path} answered ${status}`);
}

async function webhdfsOpen(config: LakeConfig, path: string): Promise<Buffer> {
  const res = await fetch(webhdfsUrl(config, path, 'op=OPEN'), { redirect: 'follow' });
  if (!res.ok) throw new LakeError(`WebHDFS OPEN ${path} answered ${res.status}: ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}
