import { Inject, Injectable } from '@nestjs/common';
import type { LakeMetrics } from '@lakestream/observability';
import { LAKE_METRICS } from '@lakestream/nest-common';
import { LakeClients } from '../lake-clients';
import { type TopicLag, throughput, topicLag } from './lag';

/** Consumer groups of the lake's stages: lake-etl, lake-trainer-*, lake-predictor*, lake-ingest*. */
export const STAGE_GROUP = /^lake-(etl|trainer|predictor|ingest)(-|$)/;

export interface GroupLag {
  group: string;
  /** Kafka's group state: Stable, Empty, PreparingRebalance, … */
  state: string;
  members: number;
  lag: number;
  /** Messages per second over all its topics since the previous sample; null on the first. */
  throughput: number | null;
  topics: TopicLag[];
}

export interface LagView {
  sampledAt: number;
  groups: GroupLag[];
}

/**
 * Committed-offset lag of every lake consumer group, per topic and partition, from the Kafka
 * admin API; throughput is the change of the committed position between two calls. Each call
 * also sets lake_consumer_lag{group,topic} for /metrics.
 */
@Injectable()
export class LagService {
  private readonly samples = new Map<string, { position: number; at: number }>();

  constructor(
    private readonly lake: LakeClients,
    @Inject(LAKE_METRICS) private readonly metrics: LakeMetrics,
  ) {}

  async lag(): Promise<LagView> {
    const admin = await this.lake.kafkaAdmin();
    const sampledAt = Date.now();
    const ids = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((id) => STAGE_GROUP.test(id))
      .sort();
    const described = ids.length > 0 ? (await admin.describeGroups(ids)).groups : [];
    const ends = new Map<string, Promise<{ partition: number; low: number; high: number }[]>>();
    const endsOf = (topic: string) => {
      let e = ends.get(topic);
      if (!e) {
        e = admin
          .fetchTopicOffsets(topic)
          .then((list) =>
            list.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })),
          );
        ends.set(topic, e);
      }
      return e;
    };
    const groups: GroupLag[] = [];
    for (const group of ids) {
      const committed = await admin.fetchOffsets({ groupId: group });
      const topics: TopicLag[] = [];
      for (const { topic, partitions } of committed.sort((a, b) => a.topic.localeCompare(b.topic))) {
        const offsets = (await endsOf(topic)).map((e) => ({
          ...e,
          committed: Number(partitions.find((p) => p.partition === e.partition)?.offset ?? -1),
        }));
        const lag = topicLag(topic, offsets);
        const key = `${group}\u0000${topic}`;
        const now = { position: lag.position, at: sampledAt };
        lag.throughput = throughput(this.samples.get(key), now);
        this.samples.set(key, now);
        this.metrics.consumerLag.set({ group, topic }, lag.lag);
        topics.push(lag);
      }
      const description = described.find((d) => d.groupId === group);
      const rates = topics.map((t) => t.throughput).filter((r): r is number => r !== null);
      groups.push({
        group,
        state: description?.state ?? 'Unknown',
        members: description?.members.length ?? 0,
        lag: topics.reduce((n, t) => n + t.lag, 0),
        throughput: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) : null,
        topics,
      });
    }
    return { sampledAt, groups };
  }
}
