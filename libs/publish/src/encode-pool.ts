import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LakeError } from '@lakestream/core';
import type { PartitionOptions } from '@lakestream/dataset';
import type { EncodedPartition } from './encode';

/**
 * Encodes partitions on worker threads, each with its own parquet-wasm instance, and yields
 * them in completion order. Each worker holds one partition at a time, so memory is bounded
 * by the partition size times the workers, not by the batch.
 */
export async function* encodeInWorkers(
  jobs: PartitionOptions[],
  workers = availableParallelism(),
): AsyncGenerator<EncodedPartition> {
  const count = Math.max(1, Math.min(workers, jobs.length));
  const pool = Array.from({ length: count }, () => new Worker(join(__dirname, 'encode-worker.js')));
  const queue = [...jobs];
  const run = (worker: Worker) =>
    new Promise<{ worker: Worker; encoded: EncodedPartition }>((resolve, reject) => {
      const job = queue.shift()!;
      worker.once('message', (reply: { encoded?: EncodedPartition; error?: string }) => {
        worker.removeAllListeners('error');
        if (reply.error) reject(new LakeError(`encoding partition ${job.partition} failed: ${reply.error}`));
        else resolve({ worker, encoded: reply.encoded! });
      });
      worker.once('error', (error) =>
        reject(
          new LakeError(`encoding worker died on partition ${job.partition}: ${error.message}`, {
            cause: error,
          }),
        ),
      );
      worker.postMessage(job);
    });
  const pending = new Map<Worker, ReturnType<typeof run>>();
  try {
    for (const worker of pool) if (queue.length > 0) pending.set(worker, run(worker));
    while (pending.size > 0) {
      const { worker, encoded } = await Promise.race(pending.values());
      pending.delete(worker);
      if (queue.length > 0) pending.set(worker, run(worker));
      yield encoded;
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
