import { assertName, InvalidInputError } from '@lakestream/core';
import type { DeadLetter, RecordName, Records } from './generated/types';

/** Partitions a lake topic gets by default: enough consumers per group for a few nodes. */
export const DEFAULT_PARTITIONS = 12;

/** Suffix of a topic's dead-letter topic. */
export const DLQ_SUFFIX = '.dlq';

/**
 * Every lake topic: its name, the record its values hold, the shape of its (string) key and
 * the partitions it is created with (its `.dlq` topic gets the same).
 */
export const TOPICS = {
  batches: {
    name: 'lake.batches',
    record: 'BatchManifest',
    key: 'dataset/batch',
    partitions: DEFAULT_PARTITIONS,
  },
  chunksRaw: {
    name: 'lake.chunks.raw',
    record: 'ChunkDescriptor',
    key: 'dataset/batch/partition',
    partitions: DEFAULT_PARTITIONS,
  },
  chunksClean: {
    name: 'lake.chunks.clean',
    record: 'ChunkDescriptor',
    key: 'dataset/batch/partition',
    partitions: DEFAULT_PARTITIONS,
  },
  etlPartials: {
    name: 'lake.etl.partials',
    record: 'EtlPartial',
    key: 'dataset/batch',
    partitions: DEFAULT_PARTITIONS,
  },
  etlReports: {
    name: 'lake.etl.reports',
    record: 'EtlReport',
    key: 'dataset/batch',
    partitions: DEFAULT_PARTITIONS,
  },
  trainingJobs: {
    name: 'lake.training.jobs',
    record: 'TrainingJob',
    key: 'job',
    partitions: DEFAULT_PARTITIONS,
  },
  trainingTrials: {
    name: 'lake.training.trials',
    record: 'TrialSpec',
    key: 'job/trial',
    partitions: DEFAULT_PARTITIONS,
  },
  trainingResults: {
    name: 'lake.training.results',
    record: 'TrialResult',
    key: 'job/trial',
    partitions: DEFAULT_PARTITIONS,
  },
  models: { name: 'lake.models', record: 'ModelPublished', key: 'model', partitions: DEFAULT_PARTITIONS },
  predictions: {
    name: 'lake.predictions',
    record: 'PredictionsWritten',
    key: 'dataset/batch/partition',
    partitions: DEFAULT_PARTITIONS,
  },
  alerts: {
    name: 'lake.alerts',
    record: 'DriftDetected',
    key: 'dataset/batch',
    partitions: DEFAULT_PARTITIONS,
  },
} as const satisfies Record<string, { name: string; record: RecordName; key: string; partitions: number }>;

type TopicEntry = (typeof TOPICS)[keyof typeof TOPICS];

/** A lake topic (not a dead-letter topic). */
export type LakeTopic = TopicEntry['name'];
/** The dead-letter topic of a lake topic. */
export type DeadLetterTopic = `${LakeTopic}${typeof DLQ_SUFFIX}`;
export type TopicName = LakeTopic | DeadLetterTopic;

/** The value type of every topic, so `codec.encode('lake.chunks.raw', v)` is type-checked. */
export type TopicValues = { [E in TopicEntry as E['name']]: Records[E['record']] } & {
  [T in DeadLetterTopic]: DeadLetter;
};

/** The value type of `T` when it is a lake topic, else `unknown` (checked at run time only). */
export type ValueOf<T extends string> = T extends TopicName ? TopicValues[T] : unknown;

/** Names of all lake topics, without their dead-letter topics. */
export const LAKE_TOPICS: readonly LakeTopic[] = Object.values(TOPICS).map((t) => t.name);

export function dlqTopic<T extends LakeTopic>(topic: T): `${T}${typeof DLQ_SUFFIX}`;
export function dlqTopic(topic: string): string;
/** `<topic>.dlq`: where messages of `topic` that failed for good go. */
export function dlqTopic(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(DLQ_SUFFIX);
}

/**
 * The record a topic's values hold: a lake topic's record, DeadLetter for any `*.dlq` topic,
 * else undefined.
 */
export function recordOfTopic(topic: string): RecordName | undefined {
  if (isDeadLetterTopic(topic)) return 'DeadLetter';
  for (const entry of Object.values(TOPICS)) if (entry.name === topic) return entry.record;
  return undefined;
}

/** Subject of a topic's values under the topic-name strategy. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

function assertPartition(partition: number): number {
  if (!Number.isSafeInteger(partition) || partition < 0)
    throw new InvalidInputError(`invalid partition ${partition}: expected an integer >= 0`, 'partition');
  return partition;
}

function assertId(kind: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('/'))
    throw new InvalidInputError(
      `invalid ${kind} id ${JSON.stringify(value)}: expected a non-empty string without '/'`,
      kind,
    );
  return value;
}

/** Key of lake.batches, lake.etl.partials, lake.etl.reports and lake.alerts: `dataset/batch`. */
export function batchKey(dataset: string, batch: string): string {
  return `${assertName('dataset', dataset)}/${assertName('batch', batch)}`;
}

/** Key of lake.chunks.* and lake.predictions: `dataset/batch/partition`. */
export function chunkKey(dataset: string, batch: string, partition: number): string {
  return `${batchKey(dataset, batch)}/${assertPartition(partition)}`;
}

/** Key of lake.training.jobs: the job id. */
export function jobKey(job: string): string {
  return assertId('job', job);
}

/** Key of lake.training.trials and lake.training.results: `job/trial`. */
export function trialKey(job: string, trial: string): string {
  return `${assertId('job', job)}/${assertId('trial', trial)}`;
}

/** Key of lake.models: the model name. */
export function modelKey(model: string): string {
  return assertName('model', model);
}

/** Every lake topic with the configured partitions and replication, for creating them. */
export function lakeTopicSpecs(kafka: { topicPartitions: number; replicationFactor: number }) {
  return LAKE_TOPICS.map((topic) => ({
    topic,
    partitions: kafka.topicPartitions,
    replicationFactor: kafka.replicationFactor,
  }));
}
