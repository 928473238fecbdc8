import { ForestFormatError } from './errors';
import type { TreeArrays } from './tree';

/**
 * All trees of a forest in one set of arrays, node indices absolute; `roots[t]` is tree t's root
 * and roots[nTrees] the total node count. This is what prediction, the model file and code
 * generation read.
 */
export interface FlatForest {
  readonly nTrees: number;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly nSamples: Int32Array;
  readonly weightedNSamples: Float64Array;
  readonly impurity: Float64Array;
}

export function flatten(trees: readonly TreeArrays[], nFeatures: number, nOutputs: number): FlatForest {
  const total = trees.reduce((s, t) => s + t.nodeCount, 0);
  const roots = new Int32Array(trees.length + 1);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const value = new Float64Array(total * nOutputs);
  const nSamples = new Int32Array(total);
  const weightedNSamples = new Float64Array(total);
  const impurity = new Float64Array(total);
  let off = 0;
  trees.forEach((t, i) => {
    roots[i] = off;
    feature.set(t.feature, off);
    threshold.set(t.threshold, off);
    for (let n = 0; n < t.nodeCount; n++) {
      left[off + n] = t.left[n] < 0 ? -1 : t.left[n] + off;
      right[off + n] = t.right[n] < 0 ? -1 : t.right[n] + off;
    }
    value.set(t.value, off * nOutputs);
    nSamples.set(t.nSamples, off);
    weightedNSamples.set(t.weightedNSamples, off);
    impurity.set(t.impurity, off);
    off += t.nodeCount;
  });
  roots[trees.length] = off;
  const flat = {
    nTrees: trees.length,
    nFeatures,
    nOutputs,
    roots,
    feature,
    threshold,
    left,
    right,
    value,
    nSamples,
    weightedNSamples,
    impurity,
  };
  return flat;
}

/**
 * Checks every invariant prediction and code generation rely on: array lengths, children inside
 * their own tree and after their parent (so traversal ends), features in range, finite numbers.
 * Anything read from a file passes through here before use.
 */
export function validateFlatForest(f: FlatForest): void {
  const bad = (what: string) => {
    throw new ForestFormatError(`invalid forest: ${what}`);
  };
  if (!Number.isInteger(f.nTrees) || f.nTrees < 1) bad(`tree count ${f.nTrees}`);
  if (!Number.isInteger(f.nFeatures) || f.nFeatures < 1) bad(`feature count ${f.nFeatures}`);
  if (!Number.isInteger(f.nOutputs) || f.nOutputs < 1) bad(`output count ${f.nOutputs}`);
  if (f.roots.length !== f.nTrees + 1 || f.roots[0] !== 0) bad('tree offsets');
  const n = f.roots[f.nTrees];
  for (const [name, a] of [
    ['feature', f.feature],
    ['threshold', f.threshold],
    ['left', f.left],
    ['right', f.right],
    ['nSamples', f.nSamples],
    ['weightedNSamples', f.weightedNSamples],
    ['impurity', f.impurity],
  ] as const) {
    if (a.length !== n) bad(`${name} has ${a.length} entries, expected ${n}`);
  }
  if (f.value.length !== n * f.nOutputs)
    bad(`value has ${f.value.length} entries, expected ${n * f.nOutputs}`);
  for (let t = 0; t < f.nTrees; t++) {
    const lo = f.roots[t];
    const hi = f.roots[t + 1];
    if (!(hi > lo)) bad(`tree ${t} has no nodes`);
    for (let i = lo; i < hi; i++) {
      const feat = f.feature[i];
      if (feat === -1) {
        if (f.left[i] !== -1 || f.right[i] !== -1) bad(`leaf ${i} has children`);
      } else {
        if (!(feat >= 0 && feat < f.nFeatures)) bad(`node ${i} splits on feature ${feat} of ${f.nFeatures}`);
        const l = f.left[i];
        const r = f.right[i];
        if (!(l > i && l < hi && r > i && r < hi && l !== r))
          bad(`node ${i} has children ${l}, ${r} outside (${i}, ${hi})`);
        if (!Number.isFinite(f.threshold[i])) bad(`node ${i} threshold ${f.threshold[i]}`);
      }
    }
  }
  for (let i = 0; i < f.value.length; i++)
    if (!Number.isFinite(f.value[i])) bad(`value ${i} is ${f.value[i]}`);
}
