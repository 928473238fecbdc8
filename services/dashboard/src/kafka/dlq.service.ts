import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type DeadLetter, dlqTopic, LAKE_TOPICS } from '@lakestream/contracts';
import { errorMessage } from '@lakestream/core';
import { LakeClients } from '../lake-clients';

/** Groups the dashboard creates to read dead-letter topics (deleted after each read). */
export const DLQ_GROUP_PREFIX = 'lake-dashboard-dlq-';

/** Most entries /api/dlq returns unless asked for fewer. */
export const DLQ_LIMIT = 50;

export interface DlqEntry {
  topic: string;
  partition: number;
  offset: number;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: number | null;
  key: string | null;
  error: string;
  errorName: string | null;
  attempts: number | null;
  service: string | null;
  failedAt: number | null;
}

export interface DlqTopic {
  topic: string;
  /** Offsets in the topic (high − low watermark, commit markers of transactions included). */
  offsets: number;
  /** Dead letters read from it. */
  read: number;
}

export interface DlqView {
  readAt: number;
  topics: DlqTopic[];
  /** Newest first, at most `limit`. */
  entries: DlqEntry[];
  /** False when the read stopped at its time limit before reaching every partition's end. */
  complete: boolean;
}

interface TopicEnds {
  topic: string;
  ends: { partition: number; low: number; high: number }[];
}

/**
 * Contents of the lake's dead-letter topics (`<topic>.dlq`): a short-lived consumer with a
 * unique group reads them from the beginning (committed transactions only) and decodes each
 * DeadLetter with the registry codec. The answer is kept until some DLQ's end offsets move.
 */
@Injectable()
export class DlqService implements OnModuleDestroy {
  private cached?: { signature: string; view: DlqView };
  private inFlight?: Promise<DlqView>;
  private closing = false;

  constructor(private readonly lake: LakeClients) {}

  async dlq(limit = DLQ_LIMIT): Promise<DlqView> {
    if (!this.inFlight)
      this.inFlight = this.refresh().finally(() => {
        this.inFlight = undefined;
      });
    const view = await this.inFlight;
    return { ...view, entries: view.entries.slice(0, limit) };
  }

  /** A read in progress stops at once and leaves its group before the application closes. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.inFlight?.catch(() => undefined);
  }

  private async refresh(): Promise<DlqView> {
    const admin = await this.lake.kafkaAdmin();
    const existing = new Set(await admin.listTopics());
    const topics: TopicEnds[] = [];
    for (const topic of LAKE_TOPICS.map((t) => dlqTopic(t)).filter((t) => existing.has(t))) {
      const ends = (await admin.fetchTopicOffsets(topic))
        .map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }))
        .sort((a, b) => a.partition - b.partition);
      topics.push({ topic, ends });
    }
    const signature = JSON.stringify(topics);
    if (this.cached?.signature === signature) return this.cached.view;
    const view = await this.read(topics);
    if (view.complete) this.cached = { signature, view };
    return view;
  }

  private async read(topics: TopicEnds[]): Promise<DlqView> {
    const readAt = Date.now();
    const pending = new Map<string, number>();
    for (const t of topics)
      for (const e of t.ends) if (e.high > e.low) pending.set(`${t.topic}:${e.partition}`, e.high);
    const entries: DlqEntry[] = [];
    const counts = new Map<string, number>();
    let timedOut = false;
    if (pending.size > 0) {
      const groupId = `${DLQ_GROUP_PREFIX}${randomUUID()}`;
      const consumer = this.lake.kafka.consumer({
        groupId,
        readUncommitted: false,
        sessionTimeout: 6000,
        rebalanceTimeout: 3000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 200,
        allowAutoTopicCreation: false,
      });
      let joinedAt = 0;
      let lastBatchAt = 0;
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joinedAt = Date.now();
      });
      try {
        await consumer.connect();
        for (const t of topics.filter((t) => t.ends.some((e) => e.high > e.low)))
          await consumer.subscribe({ topic: t.topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            lastBatchAt = Date.now();
            for (const message of batch.messages) {
              entries.push(await this.entry(batch.topic, batch.partition, message));
              counts.set(batch.topic, (counts.get(batch.topic) ?? 0) + 1);
            }
            const key = `${batch.topic}:${batch.partition}`;
            const high = pending.get(key);
            if (high !== undefined && Number(batch.lastOffset()) + 1 >= high) pending.delete(key);
          },
        });
        // Done when every partition's end is reached; a partition whose last records are
        // transaction markers never reports that, so 1.5 s without a batch also ends the read.
        const deadline = Date.now() + 15_000;
        for (;;) {
          const idleSince = Math.max(joinedAt, lastBatchAt);
          if (pending.size === 0 || (joinedAt > 0 && Date.now() - idleSince > 1500)) break;
          if (this.closing) {
            timedOut = true;
            break;
          }
          if (Date.now() > deadline) {
            timedOut = true;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await consumer.disconnect().catch(() => undefined);
        const admin = await this.lake.kafkaAdmin().catch(() => undefined);
        await admin?.deleteGroups([groupId]).catch(() => undefined);
      }
    }
    entries.sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0) || b.offset - a.offset);
    entries.splice(500);
    return {
      readAt,
      topics: topics.map((t) => ({
        topic: t.topic,
        offsets: t.ends.reduce((n, e) => n + e.high - e.low, 0),
        read: counts.get(t.topic) ?? 0,
      })),
      entries,
      complete: !timedOut,
    };
  }

  private async entry(
    topic: string,
    partition: number,
    message: { offset: string; key: Buffer | null; value: Buffer | null },
  ): Promise<DlqEntry> {
    const base = { topic, partition, offset: Number(message.offset) };
    try {
      if (!message.value) throw new Error('empty value');
      const letter = (await this.lake.codec.decode(message.value, topic)) as DeadLetter;
      return {
        ...base,
        originalTopic: letter.originalTopic,
        originalPartition: letter.originalPartition,
        originalOffset: letter.originalOffset,
        key: letter.key,
        error: letter.error,
        errorName: letter.errorName,
        attempts: letter.attempts,
        service: letter.service,
        failedAt: letter.failedAt,
      };
    } catch (error) {
      return {
        ...base,
        originalTopic: null,
        originalPartition: null,
        originalOffset: null,
        key: message.key?.toString('utf8') ?? null,
        error: `undecodable dead letter: ${errorMessage(error)}`,
        errorName: null,
        attempts: null,
        service: null,
        failedAt: null,
      };
    }
  }
}
