import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smokeRoundTrip } from '@lakestream/stack';
import { stackConfig } from './config';

test('smoke: an Avro message through the registry and Kafka, and a file through HDFS with a checked rename', async () => {
  const lines: string[] = [];
  const result = await smokeRoundTrip(stackConfig(), (l) => lines.push(l));
  assert.ok(result.schemaId > 0, 'the registry gave the schema an id');
  assert.equal(result.hdfsBytes, 1 << 20);
  assert.match(lines.join('\n'), /produced and consumed/);
  assert.match(lines.join('\n'), /wrote, read back and renamed/);
});
