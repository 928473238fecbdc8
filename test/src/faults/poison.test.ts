import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chunkKey, TOPICS } from '@lakestream/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { scenario } from './common';
import { EtlProcess } from './harness';
import { checkInvariants } from './invariants';

// Scenario 5: poison messages beside a healthy batch.
const s = scenario('fault-poison');
let etl: EtlProcess;

before(async () => {
  etl = await EtlProcess.create(s.config);
  await etl.start();
});
after(async () => {
  await etl?.stop();
  await s.cleanup();
});

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('poison messages (undecodable bytes, a missing file, a corrupt file) go to the DLQ naming the path; the batch completes', async (t) => {
  const { config, clients, dataset } = s;
  const published = await s.publish('b1', 12);
  assert.equal(published.outcome, 'published');

  const garbageKey = `${dataset}/garbage/0`;
  const kafka = new Kafka({
    clientId: 'lake-faults-poison',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const plain = kafka.producer();
  await plain.connect();
  try {
    await plain.send({
      topic: TOPICS.chunksRaw.name,
      messages: [{ key: garbageKey, value: Buffer.from([0, 0, 0, 0, 7, 0xff, 0xfe, 0x13, 0x37]) }],
    });
  } finally {
    await plain.disconnect();
  }

  const base = {
    dataset,
    partition: 0,
    partitions: 1,
    stage: 'raw' as const,
    rows: 2000,
    schemaFingerprint: 'x',
    createdAt: Date.now(),
    lineage: [],
    rowGroups: null,
    attempt: 1,
    producer: 'faults-test',
  };
  const missingPath = clients.paths.rawPartition(dataset, 'missing', 0);
  const realPath = clients.paths.rawPartition(dataset, 'b1', 0);
  const real = await clients.hdfs.stat(realPath);
  const producer = await clients.producer();
  await producer.send(TOPICS.chunksRaw.name, [
    {
      key: chunkKey(dataset, 'missing', 0),
      value: { ...base, batch: 'missing', path: missingPath, bytes: 1234, checksum: '0'.repeat(64) },
    },
    {
      key: chunkKey(dataset, 'corrupt', 0),
      value: { ...base, batch: 'corrupt', path: realPath, bytes: real.length, checksum: 'f'.repeat(64) },
    },
  ]);

  const result = await checkInvariants(config, clients, {
    dataset,
    batch: 'b1',
    since: s.since,
    deadLetters: [
      { key: garbageKey, error: /decode/i },
      { key: chunkKey(dataset, 'missing', 0), error: new RegExp(`${escapeRe(missingPath)}.*does not exist`) },
      { key: chunkKey(dataset, 'corrupt', 0), error: new RegExp(`${escapeRe(realPath)}.*does not match`) },
    ],
  });
  assert.ok(!(await clients.hdfs.exists(clients.paths.cleanBatch(dataset, 'missing'))));
  assert.ok(!(await clients.hdfs.exists(clients.paths.cleanBatch(dataset, 'corrupt'))));
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'poison', inFlight: result.rawDescriptors + 3, ...result })}`,
  );
});
