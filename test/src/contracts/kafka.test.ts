import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  batchKey,
  chunkKey,
  type DeadLetter,
  dlqTopic,
  EXAMPLES,
  ensureTopics,
  jobKey,
  modelKey,
  RECORD_NAMES,
  type RecordName,
  trialKey,
} from '@lakestream/contracts';
import { createKafkaRunner, type MessageCodec } from '@lakestream/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { brokers, deleteTopics, fastGroup, fastRetry, sleepMs, uniqueName, waitFor } from '../kafka/helpers';
import { codecFor } from './helpers';

const created: string[] = [];
after(() => deleteTopics(created));
const kafka = () => new Kafka({ clientId: 'contracts-test', brokers: brokers(), logLevel: logLevel.NOTHING });

const KEYS: Record<RecordName, string> = {
  BatchManifest: batchKey('employees', 'b0001'),
  ChunkDescriptor: chunkKey('employees', 'b0001', 1),
  EtlPartial: batchKey('employees', 'b0001'),
  EtlReport: batchKey('employees', 'b0001'),
  TrainingJob: jobKey('job-7f3a'),
  TrialSpec: trialKey('job-7f3a', 't003'),
  TrialResult: trialKey('job-7f3a', 't003'),
  ModelPublished: modelKey('salary-rf'),
  PredictionsWritten: chunkKey('employees', 'b0002', 0),
  DriftDetected: batchKey('employees', 'b0002'),
  DeadLetter: chunkKey('employees', 'b0001', 3),
};

interface Received {
  topic: string;
  key: string;
  value: Buffer;
}

async function readTopics(topics: string[], expected: number): Promise<Received[]> {
  const consumer = kafka().consumer({
    groupId: uniqueName('contracts-reader'),
    sessionTimeout: 6000,
    rebalanceTimeout: 3000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  const out: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        out.push({ topic, key: message.key?.toString() ?? '', value: message.value ?? Buffer.alloc(0) });
      },
    });
    await waitFor(() => out.length >= expected, 30_000, `${expected} messages on ${topics.join(', ')}`);
    await sleepMs(500);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

test('every contract through a real topic: ensureTopics, encode, produce, consume, decode gives the value back', async () => {
  const run = uniqueName('contracts-kafka');
  const topics = Object.fromEntries(RECORD_NAMES.map((r) => [`${run}.${r}`, r])) as Record<
    string,
    RecordName
  >;
  const names = Object.keys(topics);
  created.push(...names);
  const codec = codecFor(topics);
  const admin = kafka().admin();
  await admin.connect();
  try {
    const first = await ensureTopics(admin, names, 3, 1);
    assert.deepEqual(first.created, names);
    for (const t of names) assert.equal(first.partitions.get(t), 3, t);
    const second = await ensureTopics(admin, names, 3, 1);
    assert.deepEqual(second.created, [], 'a second call creates nothing');
  } finally {
    await admin.disconnect();
  }

  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const [topic, record] of Object.entries(topics)) {
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: KEYS[record], value: await codec.encode(topic, EXAMPLES[record]) }],
      });
    }
  } finally {
    await producer.disconnect();
  }

  const received = await readTopics(names, names.length);
  assert.equal(received.length, names.length, 'each message exactly once');
  const reader = codecFor(topics); // a fresh codec: schemas come from the registry by id
  for (const message of received) {
    const record = topics[message.topic];
    assert.equal(message.key, KEYS[record]);
    assert.deepEqual(await reader.decode(message.value, message.topic), EXAMPLES[record], record);
  }
});

test('the Kafka runner with the registry codec: descriptors flow on, an undecodable message becomes an Avro DeadLetter', async () => {
  const input = uniqueName('contracts-runner-in');
  const output = uniqueName('contracts-runner-out');
  created.push(input, output);
  const codec = codecFor({ [input]: 'ChunkDescriptor', [output]: 'ChunkDescriptor' });
  const runnerCodec: MessageCodec = codec;
  const admin = kafka().admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [input, dlqTopic(input), output], 1, 1);
  } finally {
    await admin.disconnect();
  }
  const garbage = Buffer.from('{"rows": 12}');
  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic: input,
    acks: -1,
    messages: [
      {
        key: 'employees/b0001/0',
        value: await codec.encode(input, { ...EXAMPLES.ChunkDescriptor, stage: 'raw' }),
      },
      { key: 'employees/b0001/1', value: garbage, headers: { origin: 'test' } },
    ],
  });
  await producer.disconnect();

  const runner = createKafkaRunner<typeof EXAMPLES.ChunkDescriptor>({
    brokers: brokers(),
    clientId: 'contracts-test',
    groupId: uniqueName('contracts-runner'),
    topics: [input],
    codec: runnerCodec,
    maxAttempts: 2,
    retry: fastRetry,
    dlq: { enabled: true, service: 'contracts-test' },
    ...fastGroup,
    handler: async (message, ctx) => {
      await ctx.send(output, message.key, { ...message.value, stage: 'clean', lineage: [] });
    },
  });
  await runner.start();
  try {
    await waitFor(
      () => runner.metrics().messagesHandled + runner.metrics().deadLettered >= 2,
      45_000,
      'both messages',
    );
  } finally {
    await runner.stop();
  }
  assert.equal(runner.metrics().deadLettered, 1);

  const [forwarded] = await readTopics([output], 1);
  assert.deepEqual(await codec.decode(forwarded.value, output), {
    ...EXAMPLES.ChunkDescriptor,
    stage: 'clean',
    lineage: [],
  });
  const [letter] = await readTopics([dlqTopic(input)], 1);
  assert.equal(letter.key, 'employees/b0001/1');
  const dead = (await codec.decode(letter.value, dlqTopic(input))) as DeadLetter;
  assert.equal(dead.originalTopic, input);
  assert.equal(dead.originalOffset, 1);
  assert.deepEqual(dead.value, garbage, 'the original bytes, untouched');
  assert.equal(dead.errorName, 'DecodeError');
  assert.match(dead.error, /magic byte 123/);
  assert.equal(dead.attempts, 1);
  assert.equal(dead.service, 'contracts-test');
  assert.deepEqual(dead.headers, { origin: 'test' });
});
