import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { RECORD_NAMES } from './generated/types';
import {
  batchKey,
  chunkKey,
  DEFAULT_PARTITIONS,
  dlqTopic,
  jobKey,
  LAKE_TOPICS,
  modelKey,
  recordOfTopic,
  TOPICS,
  trialKey,
  valueSubject,
} from './topics';

test('the topic table of DESIGN.md', () => {
  assert.deepEqual(
    Object.values(TOPICS).map((t) => `${t.name} ${t.record} ${t.key}`),
    [
      'lake.batches BatchManifest dataset/batch',
      'lake.chunks.raw ChunkDescriptor dataset/batch/partition',
      'lake.chunks.clean ChunkDescriptor dataset/batch/partition',
      'lake.etl.partials EtlPartial dataset/batch',
      'lake.etl.reports EtlReport dataset/batch',
      'lake.training.jobs TrainingJob job',
      'lake.training.trials TrialSpec job/trial',
      'lake.training.results TrialResult job/trial',
      'lake.models ModelPublished model',
      'lake.predictions PredictionsWritten dataset/batch/partition',
      'lake.alerts DriftDetected dataset/batch',
    ],
  );
  assert.equal(DEFAULT_PARTITIONS, 12);
  for (const t of Object.values(TOPICS)) assert.equal(t.partitions, 12, t.name);
  assert.equal(LAKE_TOPICS.length, 11);
  const used = new Set([...Object.values(TOPICS).map((t) => t.record), 'DeadLetter']);
  assert.deepEqual([...used].sort(), [...RECORD_NAMES].sort(), 'every record is some topic’s value');
});

test('records by topic, dead-letter topics and subjects', () => {
  assert.equal(recordOfTopic('lake.chunks.clean'), 'ChunkDescriptor');
  assert.equal(recordOfTopic('lake.models'), 'ModelPublished');
  assert.equal(dlqTopic('lake.models'), 'lake.models.dlq');
  assert.equal(recordOfTopic(dlqTopic('lake.models')), 'DeadLetter');
  assert.equal(recordOfTopic('lake.alerts'), 'DriftDetected');
  assert.equal(recordOfTopic('lake.nothing'), undefined);
  assert.equal(valueSubject('lake.batches'), 'lake.batches-value');
});

test('keys are built from checked names', () => {
  assert.equal(batchKey('employees', 'b0001'), 'employees/b0001');
  assert.equal(chunkKey('employees', 'b0001', 11), 'employees/b0001/11');
  assert.equal(jobKey('job-1'), 'job-1');
  assert.equal(trialKey('job-1', 't7'), 'job-1/t7');
  assert.equal(modelKey('salary-rf'), 'salary-rf');
  assert.throws(() => batchKey('Employees', 'b1'), InvalidInputError);
  assert.throws(() => batchKey('employees', '../b1'), InvalidInputError);
  assert.throws(() => chunkKey('employees', 'b1', -1), /invalid partition -1/);
  assert.throws(() => chunkKey('employees', 'b1', 1.5), InvalidInputError);
  assert.throws(() => trialKey('job/1', 't'), InvalidInputError);
  assert.throws(() => modelKey(''), InvalidInputError);
});
