import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LakeError } from '@lakestream/core';
import type { PartitionColumns } from './columns';
import { checkPartition, type GenerateOptions, resolveOptions } from './options';

export interface WorkerGenerateOptions extends GenerateOptions {
  /** Worker threads; default `os.availableParallelism()`, never more than the partitions. */
  workers?: number;
  /** Partitions to generate; default all. */
  partitionList?: readonly number[];
}

interface WorkerReply {
  done: boolean;
  columns?: PartitionColumns;
  error?: string;
}

/** A generation failure inside a worker thread. */
export class GenerationError extends LakeError {}

/**
 * Generates partitions on worker threads, partition p on worker p mod W, and yields each
 * as it is ready (completion order). Each worker has at most one partition in flight, so
 * memory stays bounded by about two partitions per worker. Breaking out of the loop
 * terminates the workers.
 */
export async function* generateInWorkers(options: WorkerGenerateOptions): AsyncGenerator<PartitionColumns> {
  const resolved = resolveOptions(options);
  const wanted = options.partitionList ?? Array.from({ length: resolved.partitions }, (_, p) => p);
  for (const p of wanted) checkPartition(resolved, p);
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), wanted.length));
  const shared: GenerateOptions = { ...resolved, referenceDate: resolved.referenceDay };
  const workers = Array.from(
    { length: count },
    (_, w) =>
      new Worker(join(__dirname, 'worker.js'), {
        workerData: { options: shared, partitions: wanted.filter((_, i) => i % count === w) },
      }),
  );
  const request = (worker: Worker): Promise<{ worker: Worker; reply: WorkerReply }> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        worker.off('error', onError);
        resolve({ worker, reply });
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(new GenerationError(`dataset worker failed: ${error.message}`, { cause: error }));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage('next');
    });
  const pending = new Map(workers.map((worker) => [worker, request(worker)]));
  try {
    while (pending.size > 0) {
      const { worker, reply } = await Promise.race(pending.values());
      if (reply.error !== undefined) throw new GenerationError(`dataset worker failed: ${reply.error}`);
      if (reply.done) {
        pending.delete(worker);
        continue;
      }
      pending.set(worker, request(worker));
      yield reply.columns!;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
