import type { AdminDriver } from './driver';
import type { PartitionLag } from './types';

/**
 * Per partition: end offset minus the group's committed offset (the runner commits past
 * trailing commit markers, so a caught-up group shows 0 on transactional topics too).
 */
export async function computeLag(
  admin: AdminDriver,
  groupId: string,
  topics: string[],
): Promise<PartitionLag[]> {
  const committed = await admin.committedOffsets(groupId, topics);
  const out: PartitionLag[] = [];
  for (const topic of topics) {
    for (const end of await admin.endOffsets(topic)) {
      const c = committed.find((x) => x.topic === topic && x.partition === end.partition)?.offset ?? -1;
      const from = c >= 0 ? c : end.low;
      out.push({
        topic,
        partition: end.partition,
        committed: c,
        end: end.high,
        lag: Math.max(0, end.high - from),
      });
    }
  }
  return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
