import { batchKey, type ChunkDescriptor, chunkKey, TOPICS } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import type { HdfsClient } from '@lakestream/hdfs';
import type { HandlerContext, InboundMessage } from '@lakestream/kafka';
import type { ModelRegistry } from '@lakestream/models';
import { type BatchDrift, batchDrift, type DriftOptions, driftDetectedValue } from './batch-drift';
import { completeBatch, type PredictionSummary } from './batch-summary';
import { PredictionInputError } from './errors';
import type { ModelCache } from './model-cache';
import { modelForBatch } from './model-choice';
import { predictPartition } from './predict-partition';

export interface CleanChunkHandlerOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  registry: ModelRegistry;
  models: ModelCache;
  /** The model whose `alias` version scores new batches. */
  model: string;
  alias?: string;
  /** Datasets to score; empty or absent: every dataset. */
  datasets?: readonly string[];
  worker: string;
  /** Bin edges of the predictions' histogram (config drift.bins.prediction). */
  predictionEdges?: readonly number[];
  /** Drift checked on each completed batch (drift.json, DriftDetected on lake.alerts); off without. */
  drift?: DriftOptions;
  onPartition?: (
    d: ChunkDescriptor,
    outcome: { model: string; version: number; rows: number; seconds: number; reused: boolean },
  ) => void;
  onBatch?: (summary: PredictionSummary) => void;
  /** A partition left unscored because no version holds the alias yet. */
  onNoModel?: (d: ChunkDescriptor) => void;
  onDrift?: (drift: BatchDrift) => void;
}

/**
 * Handles one clean ChunkDescriptor: scores the partition with the model version pinned for
 * its batch, writes the predictions, sends PredictionsWritten with the input offset, and
 * completes the batch (_SUCCESS, prediction.log) when it is the last partition to report.
 */
export function cleanChunkHandler(o: CleanChunkHandlerOptions) {
  return async (message: InboundMessage, ctx: HandlerContext): Promise<void> => {
    const d = message.value as ChunkDescriptor;
    if (d.stage !== 'clean')
      throw new PredictionInputError(
        d.path,
        `expected a clean chunk descriptor on ${TOPICS.chunksClean.name}, got stage ${d.stage}`,
      );
    if (o.datasets?.length && !o.datasets.includes(d.dataset)) return;
    const choice = await modelForBatch(o.hdfs, o.paths, o.registry, {
      dataset: d.dataset,
      batch: d.batch,
      model: o.model,
      ...(o.alias ? { alias: o.alias } : {}),
    });
    if (!choice) {
      // Nothing to score with yet: the batch is backfilled with `lake predict` once a model exists.
      o.onNoModel?.(d);
      return;
    }
    const started = Date.now();
    const model = await o.models.get(choice.name, choice.version);
    const { partial, reused } = await predictPartition(d, model, o);
    await ctx.send(TOPICS.predictions.name, chunkKey(d.dataset, d.batch, d.partition), partial.written);
    let drift: BatchDrift | undefined;
    const options = o.drift;
    const summary = await completeBatch(
      o.hdfs,
      o.paths,
      {
        dataset: d.dataset,
        batch: d.batch,
        model: model.name,
        version: model.version,
        partitions: d.partitions,
      },
      options
        ? {
            // drift.json before _SUCCESS: whoever waits for _SUCCESS finds it.
            beforeSuccess: async (s) => {
              drift = await batchDrift(o.hdfs, o.paths, s, model.metadata, options, d.partition);
            },
          }
        : {},
    );
    if (drift) {
      // Only the partition that wrote drift.json sends: once per batch (again only on its
      // redelivery), in the same transaction as its PredictionsWritten and input offset.
      if (drift.alert && drift.builtBy === d.partition)
        await ctx.send(TOPICS.alerts.name, batchKey(d.dataset, d.batch), driftDetectedValue(drift));
      o.onDrift?.(drift);
    }
    o.onPartition?.(d, {
      model: model.name,
      version: model.version,
      rows: partial.written.rows,
      seconds: (Date.now() - started) / 1000,
      reused,
    });
    if (summary) o.onBatch?.(summary);
  };
}
