import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LakeError } from '@lakestream/core';
import type { PartitionOptions } from '@lakestream/dataset';
import type { EncodedPartition } from './encode';

/**
 * Encodes partitions on worker threads, each with its own parquet-wasm instance, and yields
 * them in completion order. A worker that finishes takes the next job at once, even while the
 * consumer is still busy with (uploading) an earlier partition; at most `workers` finished
 * partitions wait to be consumed, so memory stays bounded by the partition size times twice
 * the workers, not by the batch.
 */
export async function* encodeInWorkers(
  jobs: PartitionOptions[],
  workers = availableParallelism(),
): AsyncGenerator<EncodedPartition> {
  const count = Math.max(1, Math.min(workers, jobs.length));
  const pool = Array.from({ length: count }, () => new Worker(join(__dirname, 'encode-worker.js')));
  const queue = [...jobs];
  const done: EncodedPartition[] = [];
  const idle: Worker[] = [];
  let running = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const dispatch = () => {
    while (!failure && queue.length > 0 && idle.length > 0 && done.length + running < 2 * count) {
      run(idle.pop()!, queue.shift()!);
    }
  };
  const run = (worker: Worker, job: PartitionOptions) => {
    running++;
    const onError = (error: Error) => {
      running--;
      failure ??= new LakeError(`encoding worker died on partition ${job.partition}: ${error.message}`, {
        cause: error,
      });
      notify();
    };
    worker.once('error', onError);
    worker.once('message', (reply: { encoded?: EncodedPartition; error?: string }) => {
      worker.off('error', onError);
      running--;
      if (reply.error)
        failure ??= new LakeError(`encoding partition ${job.partition} failed: ${reply.error}`);
      else done.push(reply.encoded!);
      idle.push(worker);
      dispatch();
      notify();
    });
    worker.postMessage(job);
  };
  try {
    idle.push(...pool);
    dispatch();
    while (done.length > 0 || running > 0 || (queue.length > 0 && !failure)) {
      if (failure) throw failure;
      if (done.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const next = done.shift()!;
      dispatch();
      yield next;
    }
    if (failure) throw failure;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
