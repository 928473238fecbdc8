import { type RetryOptions, sleep } from '@lakestream/core';
import { AtLeastOnceCommitter, type Committer, TransactionalCommitter } from './committer';
import type { AdminDriver, ConsumerDriver, FetchedBatch, KafkaDriver } from './driver';
import { PartitionLostError } from './errors';
import { createKafkaDriver } from './kafka-client';
import { startKeepAlive } from './keep-alive';
import { computeLag } from './lag';
import { stderrLogger } from './logger';
import { MessageProcessor } from './message-processor';
import { RunnerMetrics } from './metrics';
import type {
  ConsumerRunner,
  MessageCodec,
  MessageHandler,
  PartitionLag,
  RunnerLogger,
  RunnerMetricsListener,
  RunnerMetricsSnapshot,
} from './types';

export interface RunnerOptions<V = unknown> {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  codec: MessageCodec;
  handler: MessageHandler<V>;
  /** Partitions handled at once in this process (messages of one partition stay in order). Default 1. */
  concurrency?: number;
  /** Output and offset in one Kafka transaction (default); false: idempotent producer, then commit. */
  transactional?: boolean;
  /** Tries of a message failing with a non-retriable error before it goes to the DLQ. Default 3. */
  maxAttempts?: number;
  /** Backoff between attempts (the `retries` field is ignored: the runner decides when to stop). */
  retry?: RetryOptions;
  dlq?: { enabled?: boolean; topicSuffix?: string; service?: string };
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  rebalanceTimeoutMs?: number;
  /** How long stop() waits for in-flight handlers before aborting them. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Where a group without a committed offset starts. Default true (earliest). */
  fromBeginning?: boolean;
  /** Stop gracefully on SIGTERM/SIGINT, then exit the process. Default false. */
  installSignalHandlers?: boolean;
  logger?: RunnerLogger;
  /** Per-event hooks for a metrics adapter; `metrics()` has the totals. */
  metrics?: RunnerMetricsListener;
  /** The Kafka client; defaults to the kafkajs driver. */
  driver?: KafkaDriver;
}

function partitionKey(batch: FetchedBatch): string {
  return `${batch.topic}\u0000${batch.partition}`;
}

function timeout(ms: number): { promise: Promise<'timeout'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Consumes `topics` as one member of `groupId` and runs `handler` for each message,
 * committing its offset only once its downstream records are committed with it.
 */
export class KafkaConsumerRunner<V = unknown> implements ConsumerRunner {
  private readonly driver: KafkaDriver;
  private readonly logger: RunnerLogger;
  private readonly counters = new RunnerMetrics();
  private readonly committer: Committer;
  private readonly processor: MessageProcessor;
  private readonly stopController = new AbortController();
  private readonly abortController = new AbortController();
  /** Partitions whose transactional producer fenced its predecessors since the last join. */
  private readonly prepared = new Set<string>();
  private consumer: ConsumerDriver | undefined;
  private admin: AdminDriver | undefined;
  /** A heartbeat answered that the group is rebalancing; cleared when the member rejoined. */
  private rejoinNeeded = false;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly signalListener = () => this.onSignal();

  constructor(private readonly options: RunnerOptions<V>) {
    this.driver = options.driver ?? createKafkaDriver({ ...options, logger: options.logger ?? stderrLogger });
    this.logger = options.logger ?? stderrLogger;
    this.committer =
      options.transactional === false
        ? new AtLeastOnceCommitter(this.driver.producer())
        : new TransactionalCommitter(this.driver, options.groupId, (topic, partition) =>
            this.committedOffset(topic, partition),
          );
    this.processor = new MessageProcessor({
      codec: options.codec,
      handler: options.handler as MessageHandler,
      committer: this.committer,
      maxAttempts: options.maxAttempts ?? 3,
      retry: { initialDelayMs: 200, maxDelayMs: 30_000, ...options.retry },
      dlq: {
        enabled: options.dlq?.enabled ?? true,
        topicSuffix: options.dlq?.topicSuffix ?? '.dlq',
        service: options.dlq?.service ?? options.clientId,
      },
      metrics: this.counters,
      listener: options.metrics,
      logger: this.logger,
      stopSignal: this.stopController.signal,
      abortSignal: this.abortController.signal,
    });
  }

  private get transactional(): boolean {
    return this.options.transactional !== false;
  }

  start(): Promise<void> {
    if (this.options.installSignalHandlers) {
      // Installed first: a signal during startup waits for it to finish, then stops.
      process.once('SIGTERM', this.signalListener);
      process.once('SIGINT', this.signalListener);
    }
    this.starting ??= this.connectAndRun();
    return this.starting;
  }

  private async connectAndRun(): Promise<void> {
    const o = this.options;
    const sessionTimeoutMs = o.sessionTimeoutMs ?? 30_000;
    this.admin = this.driver.admin();
    await this.admin.connect();
    const consumer = this.driver.consumer({
      groupId: o.groupId,
      sessionTimeoutMs,
      heartbeatIntervalMs: this.heartbeatIntervalMs(),
      rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? 60_000,
      readCommitted: true,
      concurrency: o.concurrency ?? 1,
    });
    this.consumer = consumer;
    consumer.onGroupJoin(() => {
      this.counters.groupJoins++;
      this.prepared.clear();
      this.rejoinNeeded = false;
    });
    consumer.onCrash((error, restart) => {
      this.counters.crashes++;
      this.logger.error(
        {
          error: error.message,
        },
        restart ? 'consumer crashed, restarting' : 'consumer crashed and stopped',
      );
    });
    await consumer.connect();
    await consumer.subscribe(o.topics, o.fromBeginning ?? true);
    await consumer.run((batch) => this.eachBatch(batch));
  }

  /**
   * At most a second by default: a member busy with a long handler learns of a rebalance at its
   * next heartbeat and yields one interval later, so a consumer joining a group with a backlog
   * gets its share within about two seconds instead of after the others drained it.
   */
  private heartbeatIntervalMs(): number {
    return (
      this.options.heartbeatIntervalMs ??
      Math.min(1000, Math.max(100, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 10)))
    );
  }

  private async eachBatch(batch: FetchedBatch): Promise<void> {
    if (this.stopController.signal.aborted) return;
    if (this.rejoinNeeded) return this.skipForRebalance(batch);
    await this.heartbeatBeforeBatch(batch);
    // Heartbeats for the whole batch: the client sends its own only between batches.
    const consumer = this.consumer;
    const keepAlive = startKeepAlive({
      heartbeat: batch.heartbeat,
      intervalMs: this.heartbeatIntervalMs(),
      logger: this.logger,
      isRejoinError: (error) => consumer?.isRejoinError(error) ?? false,
      onRejoinNeeded: () => {
        this.rejoinNeeded = true;
      },
    });
    try {
      if (!(await this.ensurePrepared(batch))) return;
      await this.processMessages(batch);
    } finally {
      keepAlive.stop();
    }
    if (this.rejoinNeeded && !this.stopController.signal.aborted) await this.skipForRebalance(batch);
  }

  private async processMessages(batch: FetchedBatch): Promise<void> {
    for (const message of batch.messages) {
      if (this.stopController.signal.aborted || !batch.isRunning() || batch.isStale()) return;
      // The group is rebalancing: every worker stops after its current message.
      if (this.rejoinNeeded) return;
      let outcome: Awaited<ReturnType<MessageProcessor['process']>>;
      try {
        outcome = await this.processor.process(batch, message);
      } catch (error) {
        if (!(error instanceof PartitionLostError)) throw error;
        // Left to the partition's new owner; if it is still ours, the next batch fences again.
        this.logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, error: error.message },
          'partition lost while handling a message',
        );
        this.prepared.delete(partitionKey(batch));
        return;
      }
      if (outcome === 'abandoned') return;
      batch.resolveOffset(message.offset);
    }
  }

  /**
   * A batch shorter than the heartbeat interval never runs the keep-alive timer, so without
   * this a member working through a backlog of short messages would learn of a rebalance only
   * after the whole fetch. The client throttles heartbeats to one per interval: this costs at
   * most one round trip per interval. The rejoin error leaves this batch unhandled.
   */
  private async heartbeatBeforeBatch(batch: FetchedBatch): Promise<void> {
    try {
      await batch.heartbeat();
    } catch (error) {
      if (!this.consumer?.isRejoinError(error)) return; // the keep-alive timer reports others
      this.rejoinNeeded = true;
      throw error;
    }
  }

  /**
   * The group is rebalancing: this batch is left unresolved (it is fetched again after the
   * rejoin) and a heartbeat, once the client's throttle lets one through, throws the rejoin
   * error that makes the client rejoin. kafkajs hands a fetch's batches to eachBatch one after
   * another and rejoins only when all of them have settled, so every batch skips until the
   * member has rejoined (onGroupJoin clears the flag): sleeping or handling a message per
   * queued batch would hold the whole group for as many partitions as the fetch returned.
   */
  private async skipForRebalance(batch: FetchedBatch): Promise<void> {
    try {
      await batch.heartbeat();
    } catch (error) {
      if (this.consumer?.isRejoinError(error)) throw error;
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'heartbeat failed while waiting to rejoin',
      );
    }
    // The heartbeat was throttled: no busy loop of re-fetches until the next one goes out.
    await sleep(Math.min(100, this.heartbeatIntervalMs()), this.stopController.signal);
  }

  /**
   * On a partition this member just got: fence older producers of it, then re-read the
   * committed offset — a zombie may have committed after our consumer fetched it — and skip
   * to it. Returns false when the batch must be dropped (we seeked).
   */
  private async ensurePrepared(batch: FetchedBatch): Promise<boolean> {
    const key = partitionKey(batch);
    if (this.prepared.has(key)) return true;
    await this.committer.prepare(batch.topic, batch.partition);
    if (this.transactional && batch.messages.length > 0) {
      const committed = await this.committedOffset(batch.topic, batch.partition);
      if (committed >= 0 && BigInt(committed) > BigInt(batch.messages[0].offset)) {
        this.logger.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            fetched: batch.messages[0].offset,
            committed,
          },
          'committed offset moved past the fetched one (a zombie committed): skipping',
        );
        this.consumer?.seek(batch.topic, batch.partition, String(committed));
        return false;
      }
    }
    this.prepared.add(key);
    return true;
  }

  private async committedOffset(topic: string, partition: number): Promise<number> {
    if (!this.admin) throw new Error('runner not started');
    const committed = await this.admin.committedOffsets(this.options.groupId, [topic]);
    return committed.find((c) => c.partition === partition)?.offset ?? -1;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    process.off('SIGTERM', this.signalListener);
    process.off('SIGINT', this.signalListener);
    this.stopController.abort();
    const disconnecting = (this.consumer?.disconnect() ?? Promise.resolve()).catch((error: unknown) =>
      this.logger.warn({ error: String(error) }, 'consumer disconnect failed'),
    );
    const grace = timeout(this.options.shutdownTimeoutMs ?? 30_000);
    const first = await Promise.race([disconnecting, grace.promise]);
    grace.cancel();
    if (first === 'timeout') {
      this.logger.warn(
        {},
        'in-flight handlers did not finish in time: aborting them, nothing more is committed',
      );
      this.abortController.abort();
      const last = timeout(10_000);
      await Promise.race([disconnecting, last.promise]);
      last.cancel();
    }
    await this.committer.close();
    await this.admin?.disconnect().catch(() => undefined);
  }

  private onSignal(): void {
    this.logger.info({}, 'signal received: stopping');
    (this.starting ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  }

  metrics(): RunnerMetricsSnapshot {
    return this.counters.snapshot();
  }

  async lag(): Promise<PartitionLag[]> {
    if (!this.admin) throw new Error('runner not started');
    return computeLag(this.admin, this.options.groupId, this.options.topics);
  }
}

export function createKafkaRunner<V = unknown>(options: RunnerOptions<V>): ConsumerRunner {
  return new KafkaConsumerRunner(options);
}
