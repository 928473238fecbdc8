import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BinnedDataset } from './binning';
import { releaseScratch } from './scratch';
import type { TreeArrays } from './tree';
import { type Target, type TreeParams, buildTree } from './tree-builder';
import type { WorkerRequest } from './worker';

/**
 * Builds trees 0…nTrees−1 on `nJobs` worker threads reading the same shared binned data; trees
 * are handed out one at a time and returned in index order, so the forest is the same for any
 * thread count. nJobs ≤ 1 builds on the calling thread.
 */
export async function buildTrees(
  data: BinnedDataset,
  target: Target,
  params: TreeParams,
  randomState: number,
  nTrees: number,
  nJobs: number,
  rows?: Uint32Array,
): Promise<TreeArrays[]> {
  if (nJobs <= 1 || nTrees <= 1) {
    try {
      return Array.from({ length: nTrees }, (_, t) => buildTree(data, target, params, randomState, t, rows));
    } finally {
      releaseScratch();
    }
  }
  const shared = shareTarget(target);
  const sharedRows = rows && shareRows(rows);
  const trees: TreeArrays[] = new Array(nTrees);
  const workers = Array.from(
    { length: Math.min(nJobs, nTrees) },
    () => new Worker(join(__dirname, 'worker.js')),
  );
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const give = (worker: Worker) => {
        if (next < nTrees) worker.postMessage({ type: 'build', treeIndex: next++ } satisfies WorkerRequest);
      };
      for (const worker of workers) {
        worker.on('message', (msg: { treeIndex: number; tree: TreeArrays }) => {
          trees[msg.treeIndex] = msg.tree;
          if (++done === nTrees) resolve();
          else give(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (done < nTrees) reject(new Error(`forest worker exited with code ${code} before finishing`));
        });
        worker.postMessage({
          type: 'init',
          data,
          target: shared,
          params,
          randomState,
          rows: sharedRows,
        } satisfies WorkerRequest);
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return trees;
}

/** Row subsets are shared as they are when they already live in shared memory. */
function shareRows(rows: Uint32Array): Uint32Array {
  if (rows.buffer instanceof SharedArrayBuffer) return rows;
  const out = new Uint32Array(new SharedArrayBuffer(rows.length * 4));
  out.set(rows);
  return out;
}

/** Copies the target into shared memory once instead of once per worker. */
function shareTarget(target: Target): Target {
  if (target.kind === 'regression') {
    if (target.y.buffer instanceof SharedArrayBuffer) return target;
    const y = new Float64Array(new SharedArrayBuffer(target.y.length * 8));
    y.set(target.y);
    return { kind: 'regression', y };
  }
  const cls = new Int32Array(new SharedArrayBuffer(target.cls.length * 4));
  cls.set(target.cls);
  return { kind: 'classification', cls, nClasses: target.nClasses };
}
