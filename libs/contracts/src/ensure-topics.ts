import { ContractError } from './errors';
import { DEFAULT_PARTITIONS, dlqTopic, LAKE_TOPICS } from './topics';

/** The part of a kafkajs Admin (connected) that ensureTopics uses. */
export interface TopicAdmin {
  listTopics(): Promise<string[]>;
  createTopics(options: {
    topics: { topic: string; numPartitions?: number; replicationFactor?: number }[];
    waitForLeaders?: boolean;
  }): Promise<boolean>;
  fetchTopicMetadata(options: { topics: string[] }): Promise<{
    topics: { name: string; partitions: unknown[] }[];
  }>;
}

export interface EnsuredTopics {
  /** Topics this call created. */
  created: string[];
  /** Partitions of every wanted topic, as the broker reports them afterwards. */
  partitions: Map<string, number>;
}

/**
 * Creates the topics that do not exist yet (by default every lake topic and its `.dlq`
 * topic), waits for their leaders, and reads back their partition counts. Safe to run from
 * several processes at once: a topic another process created meanwhile counts as existing.
 */
export async function ensureTopics(
  admin: TopicAdmin,
  topics: readonly string[] = LAKE_TOPICS.flatMap((t) => [t, dlqTopic(t)]),
  partitions = DEFAULT_PARTITIONS,
  replicationFactor = 1,
): Promise<EnsuredTopics> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  let created: string[] = [];
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
        waitForLeaders: true,
      });
      created = missing;
    } catch (error) {
      // A concurrent creator wins with TOPIC_ALREADY_EXISTS: fine when every topic now exists.
      const now = new Set(await admin.listTopics());
      const still = missing.filter((t) => !now.has(t));
      if (still.length > 0)
        throw new ContractError(`cannot create topics ${still.join(', ')}`, {
          cause: error,
          retriable: true,
        });
    }
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
  return {
    created,
    partitions: new Map(metadata.topics.map((t) => [t.name, t.partitions.length])),
  };
}
