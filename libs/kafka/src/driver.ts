// The seam between the runner and a Kafka client library. Only kafka-client.ts implements it
// (with kafkajs); another client (@platformatic/kafka, @confluentinc/kafka-javascript) can
// implement it without touching the runner or the services.
import type { Headers, RunnerLogger, TopicSpec } from './types';

export interface RawMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
}

export interface FetchedBatch {
  topic: string;
  partition: number;
  messages: RawMessage[];
  /** The batch's last record, control records (commit markers) and aborted ones included. */
  lastOffset: string;
  heartbeat(): Promise<void>;
  /** Marks `offset` as processed, so a re-fetch after an error starts behind it. */
  resolveOffset(offset: string): void;
  /** Commits `nextOffset` for the group outside any transaction (the at-least-once path). */
  commitOffset(nextOffset: string): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface ConsumerDriverOptions {
  groupId: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  readCommitted: boolean;
  concurrency: number;
}

export interface ConsumerDriver {
  connect(): Promise<void>;
  subscribe(topics: string[], fromBeginning: boolean): Promise<void>;
  run(eachBatch: (batch: FetchedBatch) => Promise<void>): Promise<void>;
  seek(topic: string, partition: number, offset: string): void;
  onGroupJoin(listener: () => void): void;
  /** True for an error (of a heartbeat, a commit) that means the member must rejoin its group. */
  isRejoinError(error: unknown): boolean;
  /** The client's consumer failed; `restart` tells whether it starts again by itself. */
  onCrash(listener: (error: Error, restart: boolean) => void): void;
  /** Leaves the group after the running batches return. */
  disconnect(): Promise<void>;
}

export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: Buffer;
  headers?: Headers;
  partition?: number;
}

export interface InputOffset {
  groupId: string;
  topic: string;
  partition: number;
  /** The next offset to read: the handled message's offset + 1. */
  nextOffset: string;
}

/** One open transaction; `abort` is safe to call after a failure, even a failed commit. */
export interface ProducerTransaction {
  send(records: OutgoingRecord[]): Promise<void>;
  /** Adds the input offset commit to the transaction. */
  sendOffsets(offset: InputOffset): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TransactionalProducerDriver {
  readonly transactionalId: string;
  /** Registers the transactional id with the coordinator, fencing any older instance. */
  initTransactions(): Promise<void>;
  begin(): Promise<ProducerTransaction>;
  disconnect(): Promise<void>;
}

export interface ProducerDriver {
  connect(): Promise<void>;
  send(records: OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

export interface EndOffset {
  topic: string;
  partition: number;
  low: number;
  high: number;
}

export interface AdminDriver {
  connect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(specs: TopicSpec[]): Promise<void>;
  committedOffsets(groupId: string, topics: string[]): Promise<CommittedOffset[]>;
  endOffsets(topic: string): Promise<EndOffset[]>;
  disconnect(): Promise<void>;
}

export interface KafkaDriverOptions {
  brokers: string[];
  clientId: string;
  logger?: RunnerLogger;
}

export interface KafkaDriver {
  consumer(options: ConsumerDriverOptions): ConsumerDriver;
  transactionalProducer(transactionalId: string): TransactionalProducerDriver;
  producer(): ProducerDriver;
  admin(): AdminDriver;
}
