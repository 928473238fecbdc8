import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  EXAMPLES,
  IncompatibleSchemaError,
  parseSchema,
  RECORD_NAMES,
  type RecordName,
  SchemaMismatchError,
  UndecodableMessageError,
  valueSubject,
} from '@lakestream/contracts';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { uniqueName } from '../kafka/helpers';
import { codecFor, evolvedSchemas, registryUrl, removeEvolvedSchemas } from './helpers';

after(removeEvolvedSchemas);

test('every contract registers under <topic>-value with BACKWARD compatibility, idempotently, docs kept', async () => {
  const run = uniqueName('contracts-reg');
  const topics = Object.fromEntries(RECORD_NAMES.map((r) => [`${run}.${r}`, r])) as Record<
    string,
    RecordName
  >;
  const codec = codecFor(topics);
  const again = codecFor(topics);
  for (const [topic, record] of Object.entries(topics)) {
    const id = await codec.register(topic);
    assert.ok(id > 0);
    assert.equal(
      await again.register(topic),
      id,
      `${topic}: registering the same schema again gives the same id`,
    );
    const subject = valueSubject(topic);
    assert.equal(await codec.client.compatibility(subject), 'BACKWARD', subject);
    assert.deepEqual(await codec.client.versions(subject), [1]);
    const stored = await codec.client.schemaById(id);
    const local = codec.contractOf(topic);
    assert.ok(parseSchema(stored).equals(local.type), `${record}: the registry holds the same schema`);
    assert.equal(
      JSON.parse(stored).fields[0].doc,
      (local.schema as { fields: { doc: string }[] }).fields[0].doc,
    );
  }
});

test('BACKWARD: the registry refuses a required field without default and a changed type, accepts a field added with a default', async () => {
  const topic = uniqueName('contracts-evolve');
  const subject = valueSubject(topic);
  const v1 = codecFor({ [topic]: 'ChunkDescriptor' });
  const v1Bytes = await v1.encode(topic, EXAMPLES.ChunkDescriptor);
  const v1Id = v1Bytes.readUInt32BE(1);

  const required = codecFor(
    { [topic]: 'ChunkDescriptor' },
    {
      schemasDir: evolvedSchemas('ChunkDescriptor', (f) => [
        ...f,
        { name: 'compression', type: 'string', doc: 'Parquet codec.' },
      ]),
    },
  );
  assert.equal(await required.client.isCompatible(subject, required.contractOf(topic).text), false);
  await assert.rejects(required.register(topic), (e: unknown) => {
    assert.ok(e instanceof IncompatibleSchemaError, String(e));
    assert.equal(e.subject, subject);
    assert.equal(e.retriable, false);
    assert.match(e.message, /compression/);
    return true;
  });
  // and such a codec cannot send either
  await assert.rejects(
    required.encode(topic, { ...EXAMPLES.ChunkDescriptor, compression: 'zstd' }),
    IncompatibleSchemaError,
  );

  const retyped = codecFor(
    { [topic]: 'ChunkDescriptor' },
    {
      schemasDir: evolvedSchemas('ChunkDescriptor', (f) =>
        f.map((x) => (x.name === 'rows' ? { ...x, type: 'string' } : x)),
      ),
    },
  );
  await assert.rejects(retyped.register(topic), IncompatibleSchemaError);
  assert.deepEqual(await v1.client.versions(subject), [1], 'refused versions left no trace');

  const added = codecFor(
    { [topic]: 'ChunkDescriptor' },
    {
      schemasDir: evolvedSchemas('ChunkDescriptor', (f) => [
        ...f,
        { name: 'compression', type: 'string', default: 'snappy', doc: 'Parquet codec.' },
      ]),
    },
  );
  const v2Id = await added.register(topic);
  assert.notEqual(v2Id, v1Id);
  assert.deepEqual(await v1.client.versions(subject), [1, 2]);
  // New readers see old messages with the default; old readers skip the new field.
  assert.deepEqual(await added.decode(v1Bytes, topic), {
    ...EXAMPLES.ChunkDescriptor,
    compression: 'snappy',
  });
  const v2Bytes = await added.encode(topic, { ...EXAMPLES.ChunkDescriptor, compression: 'zstd' });
  assert.equal(v2Bytes.readUInt32BE(1), v2Id);
  assert.deepEqual(
    await codecFor({ [topic]: 'ChunkDescriptor' }).decode(v2Bytes, topic),
    EXAMPLES.ChunkDescriptor,
  );
});

test('the refusal comes from the BACKWARD rule the codec set: under NONE the same change is accepted', async () => {
  const topic = uniqueName('contracts-none');
  await codecFor({ [topic]: 'ChunkDescriptor' }, { compatibility: 'NONE' }).register(topic);
  const required = codecFor(
    { [topic]: 'ChunkDescriptor' },
    {
      compatibility: 'NONE',
      schemasDir: evolvedSchemas('ChunkDescriptor', (f) => [
        ...f,
        { name: 'compression', type: 'string', doc: 'Parquet codec.' },
      ]),
    },
  );
  assert.ok((await required.register(topic)) > 0);
  assert.equal(await required.client.compatibility(valueSubject(topic)), 'NONE');
});

test('a value with a wrong field type is refused naming the field, before anything is registered', async () => {
  const topic = uniqueName('contracts-mismatch');
  const codec = codecFor({ [topic]: 'EtlPartial' });
  const bad = {
    ...EXAMPLES.EtlPartial,
    columnStats: [{ ...EXAMPLES.EtlPartial.columnStats[0], count: '1000' }],
  };
  await assert.rejects(codec.encode(topic, bad), (e: unknown) => {
    assert.ok(e instanceof SchemaMismatchError, String(e));
    assert.equal(e.field, 'EtlPartial.columnStats[0].count');
    assert.equal(e.value, '1000');
    assert.equal(
      e.message,
      `${topic}: EtlPartial.columnStats[0].count: expected long (a safe integer), got "1000"`,
    );
    return true;
  });
  assert.deepEqual(await codec.client.versions(valueSubject(topic)), []);
});

test('garbage and unknown schema ids are UndecodableMessageError; the wire format is the Confluent one', async () => {
  const topic = uniqueName('contracts-wire');
  const codec = codecFor({ [topic]: 'ModelPublished' });
  const bytes = await codec.encode(topic, EXAMPLES.ModelPublished);
  for (const garbage of [
    Buffer.from('not avro at all'),
    Buffer.from([0, 0x7f, 0xff, 0xff, 0xfe, 2, 4, 6]),
    Buffer.alloc(0),
    Buffer.concat([bytes.subarray(0, 5), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]),
  ]) {
    await assert.rejects(codec.decode(garbage, topic), (e: unknown) => {
      assert.ok(e instanceof UndecodableMessageError && e.retriable === false, String(e));
      return true;
    });
  }
  // @kafkajs/confluent-schema-registry reads what the codec wrote, and the other way round.
  const reference = new SchemaRegistry({ host: registryUrl() });
  assert.equal(JSON.stringify(await reference.decode(bytes)), JSON.stringify(EXAMPLES.ModelPublished));
  const theirs = await reference.encode(bytes.readUInt32BE(1), EXAMPLES.ModelPublished);
  assert.deepEqual(theirs, bytes);
  assert.deepEqual(await codecFor({}).decode(theirs, 'lake.models'), EXAMPLES.ModelPublished);
});
