export type * from './generated/types';
export { RECORD_NAMES } from './generated/types';
export { SCHEMAS } from './generated/schemas';
export {
  ContractError,
  SchemaMismatchError,
  UndecodableMessageError,
  RegistryUnavailableError,
  RegistryRequestError,
  IncompatibleSchemaError,
  UnknownTopicError,
} from './errors';
export { createRegistryCodec, RegistryCodec } from './codec';
export type { MessageCodec, RegistryCodecOptions } from './codec';
export { RegistryClient, SCHEMA_NOT_FOUND } from './registry-client';
export type { Compatibility, RegistryClientOptions } from './registry-client';
export { loadSchemas, parseSchema, validateRecord } from './schemas';
export type { ContractSchema } from './schemas';
export { findMismatch, describeType } from './validate';
export type { Mismatch } from './validate';
export {
  TOPICS,
  LAKE_TOPICS,
  lakeTopicSpecs,
  DEFAULT_PARTITIONS,
  DLQ_SUFFIX,
  dlqTopic,
  isDeadLetterTopic,
  recordOfTopic,
  valueSubject,
  batchKey,
  chunkKey,
  jobKey,
  trialKey,
  modelKey,
} from './topics';
export type { LakeTopic, DeadLetterTopic, TopicName, TopicValues, ValueOf } from './topics';
export { ensureTopics } from './ensure-topics';
export type { TopicAdmin } from './ensure-topics';
export { EXAMPLES } from './examples';
