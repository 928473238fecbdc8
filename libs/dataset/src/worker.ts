import { parentPort, workerData } from 'node:worker_threads';
import { columnBuffers } from './columns';
import { generatePartitions } from './generate';
import type { GenerateOptions } from './options';

/** Worker side of `generateInWorkers`: one partition per 'next' request, buffers transferred. */
const { options, partitions } = workerData as { options: GenerateOptions; partitions: number[] };
const port = parentPort!;
const iterator = generatePartitions(options, partitions);

port.on('message', () => {
  try {
    const next = iterator.next();
    if (next.done) port.postMessage({ done: true });
    else port.postMessage({ done: false, columns: next.value }, columnBuffers(next.value));
  } catch (error) {
    port.postMessage({ done: true, error: error instanceof Error ? error.message : String(error) });
  }
});
