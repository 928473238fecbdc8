import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PartitionColumns } from './columns';
import { GenerationError } from './errors';
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
  const assigned = (w: number) => wanted.filter((_, i) => i % count === w);
  const workers = Array.from(
    { length: count },
    (_, w) =>
      new Worker(join(__dirname, 'worker.js'), { workerData: { options: shared, partitions: assigned(w) } }),
  );
  const request = (worker: Worker, w: number): Promise<{ worker: Worker; w: number; reply: WorkerReply }> =>
    new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: WorkerReply) => {
        settle();
        resolve({ worker, w, reply });
      };
      const onError = (error: Error) => {
        settle();
        reject(
          new GenerationError(`dataset worker ${w} failed: ${error.message}`, assigned(w), { cause: error }),
        );
      };
      const onExit = (code: number) => {
        settle();
        reject(new GenerationError(`dataset worker ${w} exited with code ${code}`, assigned(w)));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage('next');
    });
  // Requests still pending when the loop ends reject as their workers are terminated: mark them handled.
  const requestHandled = (worker: Worker, w: number) => {
    const reply = request(worker, w);
    reply.catch(() => undefined);
    return reply;
  };
  const pending = new Map(workers.map((worker, w) => [worker, requestHandled(worker, w)]));
  try {
    while (pending.size > 0) {
      const { worker, w, reply } = await Promise.race(pending.values());
      if (reply.error !== undefined)
        throw new GenerationError(`dataset worker ${w} failed: ${reply.error}`, assigned(w));
      if (reply.done) {
        pending.delete(worker);
        continue;
      }
      pending.set(worker, requestHandled(worker, w));
      yield reply.columns!;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
