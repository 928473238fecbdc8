import type { PartitionColumns } from './columns';
import { describedPartition } from './described';
import {
  checkPartition,
  type GenerateOptions,
  type PartitionOptions,
  type ResolvedOptions,
  resolveOptions,
} from './options';
import { clearPartitionCodes, ownedRows } from './owned-rows';
import { clearStudyLayout, studyLayout, studyPartition } from './study';

/**
 * Drops what generation keeps between calls in this thread: the partition of every id of
 * the last batch (1 byte per id up to 256 partitions) and the last study chunk (17 bytes per
 * chunk row). They make asking for a batch's partitions one by one cheap after the first.
 */
export function clearGeneratorCaches(): void {
  clearPartitionCodes();
  clearStudyLayout();
}

/**
 * The rows of one partition. Values depend only on (seed, id) — never on the partition
 * count or on which thread generates them — and a row's partition is
 * `hashPartition(id, partitions)`. The first call for a batch hashes all its ids (≈ 0.2 s for
 * 30M); the partition codes are kept, so the batch's other partitions only scan them.
 */
export function generatePartition(options: PartitionOptions): PartitionColumns {
  const resolved = resolveOptions(options);
  const [columns] = resolvedPartitions(resolved, [checkPartition(resolved, options.partition)]);
  return columns;
}

/**
 * Several partitions of one batch (default: all), one at a time so memory stays bounded,
 * after a single hashing pass over the ids that buckets the rows of all of them.
 */
export function generatePartitions(
  options: GenerateOptions,
  partitionList?: readonly number[],
): Generator<PartitionColumns> {
  const resolved = resolveOptions(options);
  const wanted = partitionList ?? Array.from({ length: resolved.partitions }, (_, p) => p);
  for (const p of wanted) checkPartition(resolved, p);
  return resolvedPartitions(resolved, wanted);
}

function* resolvedPartitions(
  resolved: ResolvedOptions,
  wanted: readonly number[],
): Generator<PartitionColumns> {
  const { rows, partitions } = resolved;
  if (resolved.profile === 'study') {
    const layout = studyLayout(resolved.seed, resolved.studyChunkRows, partitions);
    for (const p of wanted) yield studyPartition(layout, rows, p);
    return;
  }
  const owned = ownedRows(resolved.firstId, rows, partitions, wanted);
  for (const p of wanted) {
    const ownedByP = owned.get(p)!;
    owned.delete(p);
    yield describedPartition(resolved, partitions, p, ownedByP);
  }
}
