import { availableParallelism } from 'node:os';
import { assertName } from '@lakestream/core';
import { type GenerateOptions, resolveOptions } from '@lakestream/dataset';
import { encodeInWorkers } from './encode-pool';
import { schemaFingerprint, sha256 } from './manifest';
import { type PublishDeps, type PublishResult, publishBatch } from './publish-batch';
import { RAW_COLUMNS } from './raw-table';

/** Bumped whenever the generator's output for the same options changes. */
export const GENERATOR_VERSION = 1;

export interface SyntheticRequest extends GenerateOptions {
  dataset: string;
  /** Default: a new id from the current time, so every publish is a new batch. */
  batch?: string;
  /** Encoding threads (default: the cores). */
  workers?: number;
}

export const newBatchId = (now = new Date()): string =>
  `b${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;

/**
 * Generates a batch and publishes it. The content hash is a function of the generator's
 * resolved options, so re-publishing the same request under the same batch id is a no-op
 * that generates nothing.
 */
export function publishSynthetic(deps: PublishDeps, request: SyntheticRequest): Promise<PublishResult> {
  const dataset = assertName('dataset', request.dataset);
  const batch = assertName('batch', request.batch ?? newBatchId());
  const resolved = resolveOptions(request);
  const schema = RAW_COLUMNS.map((c) => ({ ...c }));
  return publishBatch(deps, {
    dataset,
    batch,
    partitions: resolved.partitions,
    contentHash: sha256(JSON.stringify({ generator: GENERATOR_VERSION, ...resolved })),
    schema,
    schemaFingerprint: schemaFingerprint(schema),
    source: {
      kind: 'synthetic',
      profile: resolved.profile,
      seed: resolved.seed,
      quirks: resolved.quirks,
      files: [],
    },
    encode: () =>
      encodeInWorkers(
        Array.from({ length: resolved.partitions }, (_, partition) => ({
          ...request,
          referenceDate: resolved.referenceDay,
          partition,
        })),
        request.workers ?? availableParallelism(),
      ),
  });
}
