import { retry } from '@lakestream/core';
import type { KafkaDriver } from './driver';
import { createKafkaDriver } from './kafka-client';
import { stderrLogger } from './logger';
import type { TopicSpec } from './types';

export interface EnsureTopicsOptions {
  /** Also create `<topic><dlqSuffix>` for each topic (same partition count). Default true. */
  dlq?: boolean;
  dlqSuffix?: string;
  clientId?: string;
  driver?: KafkaDriver;
}

/** Creates the topics (and their dead-letter topics) that do not exist yet; returns those it created. */
export async function ensureTopics(
  brokers: string[],
  specs: TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const suffix = options.dlqSuffix ?? '.dlq';
  const driver =
    options.driver ??
    createKafkaDriver({ brokers, clientId: options.clientId ?? 'lakestream-admin', logger: stderrLogger });
  const wanted = specs.flatMap((s) =>
    options.dlq === false ? [s] : [s, { ...s, topic: `${s.topic}${suffix}` }],
  );
  const admin = driver.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) await admin.createTopics(missing);
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * ensureTopics for a service starting up: an unreachable broker is waited for with backoff
 * (an outage pauses the stage, it does not fail it) until the topics exist or `signal` aborts.
 */
export async function ensureTopicsPatiently(
  brokers: string[],
  specs: TopicSpec[],
  options: { signal: AbortSignal; onRetry?: (error: unknown, attempt: number) => void },
): Promise<void> {
  await retry(() => ensureTopics(brokers, specs), {
    retries: Number.POSITIVE_INFINITY,
    maxDelayMs: 10_000,
    shouldRetry: () => !options.signal.aborted,
    signal: options.signal,
    onRetry: options.onRetry,
  });
}
