/** Turns message values into bytes and back; the contracts' registry-backed Avro codec satisfies it. */
export interface MessageCodec {
  encode(topic: string, value: unknown): Promise<Buffer>;
  decode(payload: Buffer, topic?: string): Promise<unknown>;
}

export type Headers = Record<string, string>;

/** One consumed message, as a handler sees it. */
export interface InboundMessage<V = unknown> {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string the broker sent. */
  offset: string;
  key: string | null;
  /** The payload decoded by the runner's codec. */
  value: V;
  headers: Headers;
  /** The payload's bytes as they arrived. */
  raw: Buffer;
}

export interface HandlerContext {
  /**
   * Buffers a downstream message (encoded at once with the codec). Buffered messages are
   * published together with the input offset commit — in one transaction when the runner is
   * transactional — and only if the handler succeeds. `partition` places it on that partition
   * instead of the key's hash (e.g. partition p of a batch on p mod the topic's partitions, so a
   * batch spreads evenly over the next stage's consumers).
   */
  send(
    topic: string,
    key: string | null,
    value: unknown,
    headers?: Headers,
    partition?: number,
  ): Promise<void>;
  /** Tells the group coordinator this member is alive; the runner also does it on a timer. */
  heartbeat(): Promise<void>;
  /** Aborted when a shutdown's grace period runs out: stop, the message will be redelivered. */
  signal: AbortSignal;
  /** 1 for the first try of this message in this process. */
  attempt: number;
}

export type MessageHandler<V = unknown> = (message: InboundMessage<V>, ctx: HandlerContext) => Promise<void>;

/** What a message that failed for good becomes on `<topic>.dlq` (encoded with the codec). */
export interface DeadLetter {
  originalTopic: string;
  originalPartition: number;
  originalOffset: number;
  key: string | null;
  /** The original payload bytes, untouched. */
  value: Buffer;
  headers: Headers;
  error: string;
  errorName: string;
  attempts: number;
  service: string;
  /** Epoch milliseconds. */
  failedAt: number;
}

/** pino's argument order (fields first), so a pino / @lakestream/observability logger fits as is. */
export interface RunnerLogger {
  debug?(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Plain counters, so any metrics adapter (prom-client, OpenTelemetry) can publish them. */
export interface RunnerMetricsSnapshot {
  /** Messages whose handler succeeded and whose offset was committed. */
  messagesHandled: number;
  /** Handler (or decode) attempts that threw. */
  failures: number;
  /** Attempts started again after a failure. */
  retries: number;
  /** Messages sent to the dead-letter topic. */
  deadLettered: number;
  /** Downstream messages committed (sent with an offset commit). */
  messagesProduced: number;
  /** Seconds spent inside handlers, all attempts. */
  handlerSeconds: number;
  /** Times this member joined its group (1 when no rebalance happened). */
  groupJoins: number;
  /** Times the client's consumer crashed (it restarts unless the error is fatal). */
  crashes: number;
  inFlight: number;
  uptimeSeconds: number;
  /** messagesHandled / uptimeSeconds. */
  throughputPerSecond: number;
}

/**
 * Told as things happen, for a metrics adapter that wants labels (e.g. prom-client
 * `lake_dlq_messages_total{topic}`, `lake_partition_seconds{stage}`). Must not throw.
 */
export interface RunnerMetricsListener {
  handled?(event: { topic: string; partition: number; seconds: number; produced: number }): void;
  failed?(event: {
    topic: string;
    partition: number;
    attempt: number;
    retriable: boolean;
    error: unknown;
  }): void;
  deadLettered?(event: { topic: string; partition: number; dlqTopic: string; attempts: number }): void;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the group will read; -1 when the group never committed here. */
  committed: number;
  /** The partition's end (high watermark). */
  end: number;
  lag: number;
}

export interface OutboundRecord {
  key: string | null;
  /** Encoded with the producer's codec when it has one; otherwise a Buffer or string. */
  value: unknown;
  headers?: Headers;
  partition?: number;
}

/** A plain (non-transactional) publisher: idempotent, acks=all. */
export interface Producer {
  connect(): Promise<void>;
  send(topic: string, records: OutboundRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumerRunner {
  /** Joins the group and starts consuming; resolves once the consumer runs. */
  start(): Promise<void>;
  /** Stops fetching, lets the in-flight handlers finish (bounded), commits, leaves the group. */
  stop(): Promise<void>;
  metrics(): RunnerMetricsSnapshot;
  /** Committed-offset lag per partition of the subscribed topics. */
  lag(): Promise<PartitionLag[]>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor?: number;
}
