import { parentPort } from 'node:worker_threads';
import type { PartitionOptions } from '@lakestream/dataset';
import { encodeSyntheticPartition } from './encode';

/** A worker thread that generates and encodes the partitions it is asked for, one at a time. */
parentPort!.on('message', (options: PartitionOptions) => {
  try {
    const encoded = encodeSyntheticPartition(options);
    parentPort!.postMessage({ encoded }, [encoded.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
