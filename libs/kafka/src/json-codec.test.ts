import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { JsonCodec } from './json-codec';

test('JsonCodec round-trips nested values and Buffers, and refuses bad JSON as invalid input', async () => {
  const codec = new JsonCodec();
  const value = { a: 1, b: [true, null, 'x'], bytes: Buffer.from([0, 255, 7]), nested: { c: 2.5 } };
  assert.deepEqual(await codec.decode(await codec.encode('t', value), 't'), value);
  await assert.rejects(codec.decode(Buffer.from('{x'), 't'), InvalidInputError);
});
