// The only file that imports kafkajs: it implements the driver seam (driver.ts) and turns
// kafkajs errors into lakestream errors. Swapping the client library means rewriting this file.
import { retry } from '@lakestream/core';
import {
  type Admin,
  type Consumer,
  type IHeaders,
  Kafka,
  KafkaJSError,
  Partitioners,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  type LogEntry,
  logLevel,
  type Producer as KafkaJSProducer,
  type Message,
} from 'kafkajs';
import type {
  AdminDriver,
  CommittedOffset,
  ConsumerDriver,
  ConsumerDriverOptions,
  EndOffset,
  FetchedBatch,
  KafkaDriver,
  KafkaDriverOptions,
  OutgoingRecord,
  ProducerDriver,
  ProducerTransaction,
  TransactionalProducerDriver,
} from './driver';
import { KafkaError, KafkaUnavailableError, PartitionLostError, ProducerFencedError } from './errors';
import type { Headers, RunnerLogger, TopicSpec } from './types';

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const GENERATION_GONE = new Set([
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'FENCED_INSTANCE_ID',
]);

/** A kafkajs error as a lakestream error: outages are retriable, fencing and bad requests are not. */
export function toKafkaError(error: unknown, transactionalId?: string): Error {
  if (error instanceof KafkaError) return error;
  const root = error instanceof KafkaJSNumberOfRetriesExceeded && error.cause ? error.cause : error;
  if (root instanceof KafkaJSProtocolError && FENCED.has(root.type) && transactionalId) {
    return new ProducerFencedError(transactionalId, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (root instanceof KafkaJSProtocolError && GENERATION_GONE.has(root.type)) {
    return new PartitionLostError(`partition lost to a rebalance: ${message}`, error);
  }
  if (root instanceof KafkaJSError && !(root instanceof KafkaJSNonRetriableError) && root.retriable) {
    return new KafkaUnavailableError(`kafka unavailable: ${message}`, error);
  }
  if (error instanceof KafkaJSNumberOfRetriesExceeded) {
    return new KafkaUnavailableError(`kafka unavailable: ${message}`, error);
  }
  return new KafkaError(`kafka: ${message}`, { retriable: false, cause: error });
}

function headersOf(headers: IHeaders | undefined): Headers {
  const out: Headers = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

function toMessage(record: OutgoingRecord): Message {
  return { key: record.key, value: record.value, headers: record.headers, partition: record.partition };
}

function byTopic(records: OutgoingRecord[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const record of records) {
    const list = topics.get(record.topic) ?? [];
    list.push(toMessage(record));
    topics.set(record.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

function logCreator(logger: RunnerLogger | undefined) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      if (!logger) return;
      const { message, ...fields } = log;
      const text = namespace ? `kafkajs ${namespace}: ${message}` : `kafkajs: ${message}`;
      // Error responses kafkajs retries by itself (leader moves, concurrent transactions) are noise.
      // So is the warning about bounded retries: a failed transaction discards its producer.
      const retried =
        namespace === 'Connection' || 'retryCount' in fields || /Limiting retries/.test(String(message));
      if ((level === logLevel.ERROR || level === logLevel.WARN) && !retried) logger.warn(fields, text);
      else logger.debug?.(fields, text);
    };
}

class KafkaJSConsumerDriver implements ConsumerDriver {
  private readonly consumer: Consumer;
  constructor(
    kafka: Kafka,
    private readonly options: ConsumerDriverOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      readUncommitted: !options.readCommitted,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1000,
    });
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  async subscribe(topics: string[], fromBeginning: boolean): Promise<void> {
    await this.consumer.subscribe({ topics, fromBeginning });
  }

  run(eachBatch: (batch: FetchedBatch) => Promise<void>): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatch: async (payload) => {
        const { batch } = payload;
        await eachBatch({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => ({
            offset: m.offset,
            key: m.key,
            value: m.value,
            headers: headersOf(m.headers),
          })),
          lastOffset: batch.lastOffset(),
          heartbeat: payload.heartbeat,
          resolveOffset: payload.resolveOffset,
          commitOffset: (nextOffset) =>
            payload
              .commitOffsetsIfNecessary({
                topics: [
                  { topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] },
                ],
              })
              .catch((error) => Promise.reject(toKafkaError(error))),
          isRunning: payload.isRunning,
          isStale: payload.isStale,
        });
      },
    });
  }

  seek(topic: string, partition: number, offset: string): void {
    this.consumer.seek({ topic, partition, offset });
  }

  onGroupJoin(listener: () => void): void {
    this.consumer.on(this.consumer.events.GROUP_JOIN, listener);
  }

  isRejoinError(error: unknown): boolean {
    return error instanceof KafkaJSProtocolError && GENERATION_GONE.has(error.type);
  }

  onCrash(listener: (error: Error, restart: boolean) => void): void {
    this.consumer.on(this.consumer.events.CRASH, (event) =>
      listener(event.payload.error, event.payload.restart),
    );
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/**
 * A kafkajs transactional producer that heals itself: after a failed transaction it is
 * replaced by a fresh instance whose InitProducerId aborts whatever the old one left open.
 */
class KafkaJSTransactionalProducer implements TransactionalProducerDriver {
  private producer: KafkaJSProducer | undefined;
  constructor(
    private readonly kafka: Kafka,
    readonly transactionalId: string,
  ) {}

  async initTransactions(): Promise<void> {
    try {
      await this.ready();
    } catch (error) {
      await this.discard();
      throw toKafkaError(error, this.transactionalId);
    }
  }

  private async ready(): Promise<KafkaJSProducer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      transactionalId: this.transactionalId,
      // The first request of each transaction often meets CONCURRENT_TRANSACTIONS (the last
      // one's markers are still being written): retry that in tens of milliseconds, not 300.
      retry: { initialRetryTime: 20, retries: 10 },
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    this.producer = producer;
    // kafkajs registers the transactional id lazily, on the first transaction: do it now,
    // so that a zombie holding the same id is fenced before this instance reads anything.
    const txn = await producer.transaction();
    await txn.abort();
    return producer;
  }

  async begin(): Promise<ProducerTransaction> {
    let txn: Awaited<ReturnType<KafkaJSProducer['transaction']>>;
    try {
      const producer = await this.ready();
      txn = await producer.transaction();
    } catch (error) {
      await this.discard();
      throw toKafkaError(error, this.transactionalId);
    }
    const id = this.transactionalId;
    let failed = false;
    const mapped = async (step: () => Promise<unknown>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failed = true;
        throw toKafkaError(error, id);
      }
    };
    return {
      send: (records) => mapped(() => txn.sendBatch({ acks: -1, topicMessages: byTopic(records) })),
      // kafkajs does not retry AddOffsetsToTxn on CONCURRENT_TRANSACTIONS, which the broker
      // answers while the previous transaction's markers are still being written.
      sendOffsets: (offset) =>
        mapped(() =>
          retry(
            () =>
              txn.sendOffsets({
                consumerGroupId: offset.groupId,
                topics: [
                  {
                    topic: offset.topic,
                    partitions: [{ partition: offset.partition, offset: offset.nextOffset }],
                  },
                ],
              }),
            {
              retries: 20,
              initialDelayMs: 20,
              maxDelayMs: 500,
              shouldRetry: (e) => e instanceof KafkaJSProtocolError && e.type === 'CONCURRENT_TRANSACTIONS',
            },
          ),
        ),
      commit: () => mapped(() => txn.commit()),
      abort: async () => {
        try {
          // After a failed step kafkajs's sequence numbers or transaction state may no longer
          // match the broker's (a failed commit leaves a state it cannot leave): start afresh;
          // the next instance's InitProducerId aborts the open transaction.
          if (failed) await this.discard();
          else if (txn.isActive()) await txn.abort();
        } catch {
          // The next instance's InitProducerId aborts what this one left open.
          await this.discard();
        }
      },
    };
  }

  private async discard(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  disconnect(): Promise<void> {
    return this.discard();
  }
}

class KafkaJSProducerDriver implements ProducerDriver {
  private readonly producer: KafkaJSProducer;
  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }
  connect(): Promise<void> {
    return this.producer.connect().catch((error) => Promise.reject(toKafkaError(error)));
  }
  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(records) });
    } catch (error) {
      throw toKafkaError(error);
    }
  }
  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

class KafkaJSAdminDriver implements AdminDriver {
  private readonly admin: Admin;
  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }
  connect(): Promise<void> {
    return this.admin.connect().catch((error) => Promise.reject(toKafkaError(error)));
  }
  listTopics(): Promise<string[]> {
    return this.admin.listTopics().catch((error) => Promise.reject(toKafkaError(error)));
  }
  async createTopics(specs: TopicSpec[]): Promise<void> {
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: specs.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor ?? 1,
        })),
      });
    } catch (error) {
      // Another process created some of them at the same moment: that is what we wanted.
      if (!(error instanceof KafkaJSError && /already exists/i.test(error.message)))
        throw toKafkaError(error);
    }
  }
  async committedOffsets(groupId: string, topics: string[]): Promise<CommittedOffset[]> {
    const answer = await this.admin
      .fetchOffsets({ groupId, topics })
      .catch((error) => Promise.reject(toKafkaError(error)));
    return answer.flatMap(({ topic, partitions }) =>
      partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
    );
  }
  async endOffsets(topic: string): Promise<EndOffset[]> {
    const answer = await this.admin
      .fetchTopicOffsets(topic)
      .catch((error) => Promise.reject(toKafkaError(error)));
    return answer.map((p) => ({ topic, partition: p.partition, low: Number(p.low), high: Number(p.high) }));
  }
  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}

export function createKafkaDriver(options: KafkaDriverOptions): KafkaDriver {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: logCreator(options.logger),
  });
  return {
    consumer: (consumerOptions) => new KafkaJSConsumerDriver(kafka, consumerOptions),
    transactionalProducer: (transactionalId) => new KafkaJSTransactionalProducer(kafka, transactionalId),
    producer: () => new KafkaJSProducerDriver(kafka),
    admin: () => new KafkaJSAdminDriver(kafka),
  };
}
