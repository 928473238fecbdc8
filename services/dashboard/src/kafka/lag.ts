export interface PartitionOffsets {
  partition: number;
  /** The group's committed offset, -1 when it has none. */
  committed: number;
  low: number;
  high: number;
}

export interface TopicLag {
  topic: string;
  /** Messages between the committed offsets and the log end, all partitions. */
  lag: number;
  /** Sum of committed offsets (a partition without one counts from its low watermark). */
  position: number;
  end: number;
  /** Messages consumed per second since the previous sample; null on the first. */
  throughput: number | null;
  partitions: { partition: number; committed: number; end: number; lag: number }[];
}

/** Lag of one group on one topic; a partition with no committed offset is read from its low watermark. */
export function topicLag(topic: string, offsets: PartitionOffsets[]): TopicLag {
  const partitions = offsets
    .map((o) => {
      const from = o.committed >= 0 ? o.committed : o.low;
      return {
        partition: o.partition,
        committed: o.committed,
        end: o.high,
        lag: Math.max(0, o.high - from),
        from,
      };
    })
    .sort((a, b) => a.partition - b.partition);
  return {
    topic,
    lag: partitions.reduce((n, p) => n + p.lag, 0),
    position: partitions.reduce((n, p) => n + Math.min(p.from, p.end), 0),
    end: partitions.reduce((n, p) => n + p.end, 0),
    throughput: null,
    partitions: partitions.map(({ from: _from, ...p }) => p),
  };
}

/** Messages per second between two samples of a topic's position; null without an earlier sample. */
export function throughput(
  previous: { position: number; at: number } | undefined,
  current: { position: number; at: number },
): number | null {
  if (!previous || current.at <= previous.at) return null;
  return Math.max(0, current.position - previous.position) / ((current.at - previous.at) / 1000);
}
