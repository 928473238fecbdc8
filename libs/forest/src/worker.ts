import { parentPort } from 'node:worker_threads';
import type { BinnedDataset } from './binning';
import { treeBuffers } from './tree';
import { type Target, type TreeParams, buildTree } from './tree-builder';

/** Messages from the pool: one `init` with the shared data, then `build` per tree index. */
export type WorkerRequest =
  | {
      type: 'init';
      data: BinnedDataset;
      target: Target;
      params: TreeParams;
      randomState: number;
      rows?: Uint32Array;
    }
  | { type: 'build'; treeIndex: number };

let job: Extract<WorkerRequest, { type: 'init' }> | undefined;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'init') {
    job = msg;
    return;
  }
  if (!job) throw new Error('forest worker: build before init');
  const tree = buildTree(job.data, job.target, job.params, job.randomState, msg.treeIndex, job.rows);
  parentPort?.postMessage({ treeIndex: msg.treeIndex, tree }, treeBuffers(tree));
});
