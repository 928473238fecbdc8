import { isRetriable, type RetryOptions, retry } from '@lakestream/core';
import type { Committer } from './committer';
import { buildDeadLetter } from './dead-letter';
import type { FetchedBatch, OutgoingRecord, RawMessage } from './driver';
import { DecodeError, HandlerAbortedError, KafkaError, PartitionLostError } from './errors';
import type { RunnerMetrics } from './metrics';
import type {
  HandlerContext,
  MessageCodec,
  MessageHandler,
  RunnerLogger,
  RunnerMetricsListener,
} from './types';

export interface DeadLetterOptions {
  enabled: boolean;
  topicSuffix: string;
  service: string;
}

export interface MessageProcessorOptions {
  codec: MessageCodec;
  handler: MessageHandler;
  committer: Committer;
  maxAttempts: number;
  retry: RetryOptions;
  dlq: DeadLetterOptions;
  metrics: RunnerMetrics;
  listener?: RunnerMetricsListener;
  logger: RunnerLogger;
  /** Aborted when shutdown begins: no new attempt starts, backoff waits end. */
  stopSignal: AbortSignal;
  /** Aborted when shutdown's grace period ends: handlers must give up, nothing is committed. */
  abortSignal: AbortSignal;
}

/** committed: offset (and output or dead letter) committed; abandoned: left for redelivery. */
export type Outcome = 'committed' | 'dead-lettered' | 'abandoned';

/**
 * One message's life: decode, handle, commit (with the handler's downstream records);
 * outages retry with backoff for as long as it takes, bad input retries up to maxAttempts
 * and then goes to the dead-letter topic, committed like any output.
 */
export class MessageProcessor {
  /** Handler seconds of the last attempt. */
  private lastSeconds = 0;

  constructor(private readonly options: MessageProcessorOptions) {}

  private tell<K extends keyof RunnerMetricsListener>(
    kind: K,
    event: Parameters<NonNullable<RunnerMetricsListener[K]>>[0],
  ): void {
    try {
      (this.options.listener?.[kind] as ((e: typeof event) => void) | undefined)?.(event);
    } catch (error) {
      this.options.logger.warn({ error: String(error) }, 'metrics listener failed');
    }
  }

  async process(batch: FetchedBatch, message: RawMessage): Promise<Outcome> {
    const { maxAttempts, metrics, logger, stopSignal } = this.options;
    let failures = 0;
    let attempts = 0;
    try {
      await retry(
        async (attempt, bail) => {
          attempts = attempt;
          if (attempt > 1) metrics.retries++;
          const records = await this.attempt(batch, message, attempt);
          await this.commit(batch, message.offset, records).catch((error) =>
            error instanceof PartitionLostError ? bail(error) : Promise.reject(error),
          );
          metrics.messagesHandled++;
          metrics.messagesProduced += records.length;
          this.tell('handled', {
            topic: batch.topic,
            partition: batch.partition,
            seconds: this.lastSeconds,
            produced: records.length,
          });
        },
        {
          ...this.options.retry,
          retries: Number.POSITIVE_INFINITY,
          signal: stopSignal,
          shouldRetry: (error) => {
            if (error instanceof DecodeError || error instanceof HandlerAbortedError) return false;
            if (isRetriable(error)) return true;
            failures++;
            return failures < maxAttempts;
          },
          onRetry: (error, attempt, delayMs) =>
            logger.warn(
              {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                attempt,
                delayMs,
                retriable: isRetriable(error),
                error: error instanceof Error ? error.message : String(error),
              },
              'message failed, retrying',
            ),
        },
      );
      return 'committed';
    } catch (error) {
      if (error instanceof PartitionLostError) throw error;
      if (stopSignal.aborted || error instanceof HandlerAbortedError || isRetriable(error))
        return 'abandoned';
      return this.deadLetter(batch, message, error, attempts);
    }
  }

  private async attempt(
    batch: FetchedBatch,
    message: RawMessage,
    attempt: number,
  ): Promise<OutgoingRecord[]> {
    const { codec, handler, metrics, abortSignal } = this.options;
    const raw = message.value ?? Buffer.alloc(0);
    const records: OutgoingRecord[] = [];
    const ctx: HandlerContext = {
      send: async (topic, key, value, headers, partition) => {
        records.push({
          topic,
          key,
          value: await codec.encode(topic, value),
          headers,
          ...(partition === undefined ? {} : { partition }),
        });
      },
      heartbeat: batch.heartbeat,
      signal: abortSignal,
      attempt,
    };
    const started = performance.now();
    metrics.inFlight++;
    try {
      let value: unknown;
      try {
        value = await codec.decode(raw, batch.topic);
      } catch (error) {
        throw isRetriable(error)
          ? error
          : new DecodeError(batch.topic, batch.partition, message.offset, error);
      }
      await handler(
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key === null ? null : message.key.toString(),
          value,
          headers: message.headers,
          raw,
        },
        ctx,
      );
    } catch (error) {
      metrics.failures++;
      this.tell('failed', {
        topic: batch.topic,
        partition: batch.partition,
        attempt,
        retriable: isRetriable(error),
        error,
      });
      throw error;
    } finally {
      metrics.inFlight--;
      this.lastSeconds = (performance.now() - started) / 1000;
      metrics.handlerSeconds += this.lastSeconds;
    }
    if (abortSignal.aborted) throw new HandlerAbortedError();
    return records;
  }

  /** Commits, riding out outages until shutdown's grace period ends. */
  private commit(batch: FetchedBatch, offset: string, records: OutgoingRecord[]): Promise<void> {
    const { committer, logger } = this.options;
    return retry(() => committer.commit(batch, offset, records), {
      ...this.options.retry,
      retries: Number.POSITIVE_INFINITY,
      signal: this.options.abortSignal,
      shouldRetry: (error) => isRetriable(error),
      onRetry: (error, attempt, delayMs) =>
        logger.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset,
            attempt,
            delayMs,
            error: error instanceof Error ? error.message : String(error),
          },
          'commit failed, retrying',
        ),
    });
  }

  private async deadLetter(
    batch: FetchedBatch,
    message: RawMessage,
    error: unknown,
    attempts: number,
  ): Promise<Outcome> {
    const { codec, dlq, metrics, logger, stopSignal } = this.options;
    const context = { topic: batch.topic, partition: batch.partition, offset: message.offset, attempts };
    if (!dlq.enabled) {
      // Without a dead-letter topic a poison message blocks its partition: lose nothing.
      throw new KafkaError(`message failed after ${attempts} attempts and the DLQ is disabled`, {
        cause: error,
      });
    }
    const letter = buildDeadLetter({ ...context, message, error, service: dlq.service });
    const topic = `${batch.topic}${dlq.topicSuffix}`;
    logger.error({ ...context, dlq: topic, error: letter.error }, 'message goes to the dead-letter topic');
    try {
      await retry(
        async () => {
          const value = await codec.encode(topic, letter);
          await this.commit(batch, message.offset, [
            { topic, key: letter.key, value, headers: message.headers },
          ]);
        },
        { ...this.options.retry, retries: Number.POSITIVE_INFINITY, signal: stopSignal },
      );
    } catch (failure) {
      if (failure instanceof PartitionLostError) throw failure;
      if (stopSignal.aborted) return 'abandoned';
      throw new KafkaError(`cannot write the dead letter to ${topic}`, { cause: failure });
    }
    metrics.deadLettered++;
    this.tell('deadLettered', { topic: batch.topic, partition: batch.partition, dlqTopic: topic, attempts });
    return 'dead-lettered';
  }
}
