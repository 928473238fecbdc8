import type { PartitionSummary } from '@lakestream/etl-core';
import type { ChunkDescriptor } from '@lakestream/contracts';

/**
 * What the ETL keeps beside a batch's reports for each finished partition: the proof that
 * the partition is done (written after its clean file), the clean descriptor to re-emit on
 * redelivery, and the summary the batch report merges.
 */
export interface PartialFile {
  clean: ChunkDescriptor;
  raw: { path: string; checksum: string };
  summary: PartitionSummary;
  startedAt: number;
  finishedAt: number;
  timings: { readMs: number; cleanMs: number; writeMs: number };
  memory: { rssBefore: number; rssAfter: number };
  worker: string;
}
