import { parentPort, workerData } from 'node:worker_threads';
import { columnBuffers } from './columns';
import { generatePartitions } from './generate';
import type { GenerateOptions } from './options';

/**
 * Worker side of `generateInWorkers`: generates its partitions in order, posting each
 * (buffers transferred) while it holds a credit; the parent returns a credit per partition
 * it hands on, so at most `ahead` partitions wait unconsumed.
 */
const { options, partitions, ahead } = workerData as {
  options: GenerateOptions;
  partitions: number[];
  ahead: number;
};
const port = parentPort!;
const iterator = generatePartitions(options, partitions);
let credits = ahead;
let scheduled = false;
let finished = false;

function pump(): void {
  scheduled = false;
  if (finished || credits <= 0) return;
  credits--;
  try {
    const next = iterator.next();
    if (next.done) {
      finished = true;
      port.postMessage({ done: true });
      return;
    }
    port.postMessage({ done: false, columns: next.value }, columnBuffers(next.value));
  } catch (error) {
    finished = true;
    port.postMessage({ done: true, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  // Yield to the event loop between partitions so returned credits are seen.
  scheduled = true;
  setImmediate(pump);
}

port.on('message', () => {
  credits++;
  if (!scheduled) pump();
});
pump();
