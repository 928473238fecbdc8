import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@lakestream/core';
import type { PartitionColumns } from './columns';
import { GenerationError } from './errors';
import { checkPartition, type GenerateOptions, resolveOptions } from './options';

export interface WorkerGenerateOptions extends GenerateOptions {
  /** Worker threads; default `os.availableParallelism()`, never more than the partitions. */
  workers?: number;
  /** Partitions to generate; default all. */
  partitionList?: readonly number[];
  /** Partitions a worker may have generated but not yet handed on; default 2. */
  ahead?: number;
}

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidInputError(`${field} must be a positive integer, got ${value}`, field);
  }
  return value;
}

interface WorkerReply {
  done: boolean;
  columns?: PartitionColumns;
  error?: string;
}

/**
 * Generates partitions on worker threads, partition list[i] on worker i mod W, and yields
 * each as it is ready (completion order). A worker runs at most `ahead` partitions ahead of
 * the consumer, so memory stays bounded by a few partitions per worker while generation
 * overlaps the consumer's work. Breaking out of the loop terminates the workers.
 */
export async function* generateInWorkers(options: WorkerGenerateOptions): AsyncGenerator<PartitionColumns> {
  const resolved = resolveOptions(options);
  const wanted = options.partitionList ?? Array.from({ length: resolved.partitions }, (_, p) => p);
  for (const p of wanted) checkPartition(resolved, p);
  const count = Math.max(
    1,
    Math.min(positive('workers', options.workers ?? availableParallelism()), wanted.length),
  );
  const ahead = positive('ahead', options.ahead ?? 2);
  const shared: GenerateOptions = { ...resolved, referenceDate: resolved.referenceDay };
  const assigned = (w: number) => wanted.filter((_, i) => i % count === w);

  const ready: { w: number; columns: PartitionColumns }[] = [];
  const done = new Array<boolean>(count).fill(false);
  let failure: GenerationError | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const workers = Array.from({ length: count }, (_, w) => {
    const worker = new Worker(join(__dirname, 'worker.js'), {
      workerData: { options: shared, partitions: assigned(w), ahead },
    });
    worker.on('message', (reply: WorkerReply) => {
      if (reply.error !== undefined) {
        failure ??= new GenerationError(`dataset worker ${w} failed: ${reply.error}`, assigned(w));
      } else if (reply.done) done[w] = true;
      else ready.push({ w, columns: reply.columns! });
      notify();
    });
    worker.on('error', (error) => {
      failure ??= new GenerationError(`dataset worker ${w} failed: ${error.message}`, assigned(w), {
        cause: error,
      });
      notify();
    });
    worker.on('exit', (code) => {
      if (!done[w])
        failure ??= new GenerationError(`dataset worker ${w} exited with code ${code}`, assigned(w));
      notify();
    });
    return worker;
  });
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const next = ready.shift();
      if (next !== undefined) {
        workers[next.w].postMessage('more');
        yield next.columns;
        continue;
      }
      if (done.every(Boolean)) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    done.fill(true);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
