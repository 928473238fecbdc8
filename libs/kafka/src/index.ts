export { createKafkaRunner, KafkaConsumerRunner } from './runner';
export type { RunnerOptions } from './runner';
export { createProducer } from './producer';
export type { ProducerOptions } from './producer';
export { ensureTopics, ensureTopicsPatiently } from './topics';
export type { EnsureTopicsOptions } from './topics';
export { JsonCodec } from './json-codec';
export { stderrLogger } from './logger';
export { createKafkaDriver } from './kafka-client';
export {
  KafkaError,
  KafkaUnavailableError,
  PartitionLostError,
  ProducerFencedError,
  DecodeError,
  HandlerAbortedError,
} from './errors';
export type {
  MessageCodec,
  Headers,
  InboundMessage,
  HandlerContext,
  MessageHandler,
  DeadLetter,
  RunnerLogger,
  RunnerMetricsSnapshot,
  RunnerMetricsListener,
  PartitionLag,
  OutboundRecord,
  Producer,
  ConsumerRunner,
  TopicSpec,
} from './types';
export type {
  KafkaDriver,
  KafkaDriverOptions,
  ConsumerDriver,
  ConsumerDriverOptions,
  FetchedBatch,
  RawMessage,
  OutgoingRecord,
  InputOffset,
  TransactionalProducerDriver,
  ProducerTransaction,
  ProducerDriver,
  AdminDriver,
  CommittedOffset,
  EndOffset,
} from './driver';
