import type { ChunkDescriptor, PredictionsWritten } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import type { HdfsClient } from '@lakestream/hdfs';
import type { ModelRef, ModelRegistry } from '@lakestream/models';
import { completeBatch, type PredictionSummary } from './batch-summary';
import { cleanDescriptors } from './clean-descriptors';
import { ModelCache } from './model-cache';
import { predictPartition } from './predict-partition';

export interface PredictBatchOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  registry: ModelRegistry;
  worker: string;
  /** Bin edges of the predictions' histogram (config drift.bins.prediction). */
  predictionEdges?: readonly number[];
  /** Called once per partition with its record (e.g. to send it on lake.predictions). */
  onWritten?: (written: PredictionsWritten, reused: boolean) => Promise<void> | void;
  onProgress?: (p: { partitionsDone: number; partitions: number; rowsDone: number }) => void;
}

/**
 * Backfill: predicts every partition of a clean batch with the given model version (an alias
 * or version reference), one partition at a time so memory stays that of one partition.
 * Partitions already predicted by that version are reused, so it can be re-run after a crash.
 */
export async function predictBatch(
  o: PredictBatchOptions,
  target: { dataset: string; batch: string; model: string | ModelRef },
): Promise<PredictionSummary> {
  const { name, version } = await o.registry.resolve(target.model);
  const model = await new ModelCache(o.registry, 1).get(name, version);
  const descriptors: ChunkDescriptor[] = await cleanDescriptors(
    o.hdfs,
    o.paths,
    target.dataset,
    target.batch,
  );
  let rowsDone = 0;
  for (const [i, d] of descriptors.entries()) {
    const { partial, reused } = await predictPartition(d, model, o);
    await o.onWritten?.(partial.written, reused);
    rowsDone += partial.written.rows;
    o.onProgress?.({ partitionsDone: i + 1, partitions: descriptors.length, rowsDone });
  }
  const summary = await completeBatch(o.hdfs, o.paths, {
    dataset: target.dataset,
    batch: target.batch,
    model: name,
    version,
    partitions: descriptors.length,
  });
  if (!summary)
    throw new Error(`predictions of ${target.dataset}/${target.batch} incomplete after every partition`);
  return summary;
}
