import type { FlatForest } from './flat-forest';
import type { FeatureMatrix } from './matrix';

const BATCH = 256;

/**
 * A forest laid out for branch-free batch inference. Per feature, the distinct thresholds the
 * forest uses are sorted (`cuts`); a node stores the rank of its threshold, a row's value is
 * replaced by its code = number of cuts below it, and x ≤ threshold ⇔ code ≤ rank. In every
 * tree the two children of a node are adjacent (right = left + 1) and a leaf points at itself
 * with rank 2^30, so a row advances with `node = left[node] + ((rank[node] − code) >>> 31)` — an
 * integer sign bit, no branch — for exactly `depth[t]` steps whatever its path.
 */
export interface PredictLayout {
  readonly nTrees: number;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly roots: Int32Array;
  readonly depth: Int32Array;
  readonly left: Int32Array;
  readonly feature: Int32Array;
  readonly rank: Int32Array;
  readonly cuts: Float64Array[];
  readonly cutIndex: CutIndex[];
  readonly value: Float64Array;
}

/** A uniform grid over a feature's cuts: a starting guess for a value's code, then a short scan. */
interface CutIndex {
  lo: number;
  scale: number;
  cells: number;
  start: Int32Array;
}

function cutIndex(cuts: Float64Array): CutIndex {
  const n = cuts.length;
  if (n < 2) return { lo: 0, scale: 0, cells: 1, start: new Int32Array(1) };
  const lo = cuts[0];
  const cells = Math.min(1 << 16, 4 * n);
  const scale = cells / (cuts[n - 1] - lo);
  if (!Number.isFinite(scale)) return { lo: 0, scale: 0, cells: 1, start: new Int32Array(1) };
  const start = new Int32Array(cells);
  for (let g = 0; g < cells; g++) start[g] = lowerBound(cuts, lo + g / scale);
  return { lo, scale, cells, start };
}

/** The number of cuts below v: grid guess, then scans that make it exact whatever the rounding. */
function encode(cuts: Float64Array, ix: CutIndex, v: number): number {
  let g = Math.floor((v - ix.lo) * ix.scale);
  g = g < 0 ? 0 : g >= ix.cells ? ix.cells - 1 : g;
  let k = ix.start[g];
  const n = cuts.length;
  while (k < n && cuts[k] < v) k++;
  while (k > 0 && cuts[k - 1] >= v) k--;
  return k;
}

const LEAF_RANK = 1 << 30;

/** Re-numbers each tree breadth-first so siblings are adjacent; input must be validated. */
export function predictLayout(f: FlatForest): PredictLayout {
  const n = f.roots[f.nTrees];
  const nO = f.nOutputs;
  const cuts = distinctThresholds(f);
  const left = new Int32Array(n);
  const feature = new Int32Array(n);
  const rank = new Int32Array(n);
  const value = new Float64Array(n * nO);
  const depth = new Int32Array(f.nTrees);
  const queue = new Int32Array(n);
  const level = new Int32Array(n);
  for (let t = 0; t < f.nTrees; t++) {
    const base = f.roots[t];
    // queue[k] = old index of new node base + k
    let head = 0;
    let tail = 1;
    queue[0] = base;
    level[0] = 0;
    let maxLevel = 0;
    while (head < tail) {
      const k = head++;
      const old = queue[k];
      const id = base + k;
      for (let c = 0; c < nO; c++) value[id * nO + c] = f.value[old * nO + c];
      if (f.feature[old] < 0) {
        left[id] = id;
        feature[id] = 0;
        rank[id] = LEAF_RANK;
        continue;
      }
      const feat = f.feature[old];
      feature[id] = feat;
      rank[id] = lowerBound(cuts[feat], f.threshold[old]);
      left[id] = base + tail;
      queue[tail] = f.left[old];
      queue[tail + 1] = f.right[old];
      level[tail] = level[tail + 1] = level[k] + 1;
      if (level[k] + 1 > maxLevel) maxLevel = level[k] + 1;
      tail += 2;
    }
    depth[t] = maxLevel;
  }
  const cutIndexes = cuts.map(cutIndex);
  return {
    nTrees: f.nTrees,
    nFeatures: f.nFeatures,
    nOutputs: nO,
    roots: f.roots,
    depth,
    left,
    feature,
    rank,
    cuts,
    cutIndex: cutIndexes,
    value,
  };
}

function distinctThresholds(f: FlatForest): Float64Array[] {
  const per: number[][] = Array.from({ length: f.nFeatures }, () => []);
  for (let i = 0; i < f.feature.length; i++) if (f.feature[i] >= 0) per[f.feature[i]].push(f.threshold[i]);
  return per.map((list) => {
    const sorted = Float64Array.from(list).sort();
    let k = 0;
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i];
    return sorted.slice(0, k);
  });
}

/** Number of entries of the sorted array a that are < v. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Mean of the trees' leaf values for every row (nRows × nOutputs, row-major). Rows are encoded
 * in batches into a row-major code buffer; each tree then walks four rows at once (independent
 * chains the CPU overlaps). Trees are summed in order from 0, then divided by the tree count.
 */
export function predictBatched(p: PredictLayout, x: FeatureMatrix, out?: Float64Array): Float64Array {
  const {
    nFeatures: nF,
    nOutputs: nO,
    nTrees,
    roots,
    depth,
    left,
    feature,
    rank,
    cuts,
    cutIndex: ci,
    value,
  } = p;
  const nRows = x.nRows;
  const result = out ?? new Float64Array(nRows * nO);
  const codes = new Int32Array(BATCH * nF);
  const acc = new Float64Array(BATCH * nO);
  const leaf = new Int32Array(BATCH);
  for (let r0 = 0; r0 < nRows; r0 += BATCH) {
    const nb = Math.min(BATCH, nRows - r0);
    for (let f = 0; f < nF; f++) {
      const col = x.columns[f];
      const c = cuts[f];
      const ix = ci[f];
      for (let r = 0; r < nb; r++) codes[r * nF + f] = encode(c, ix, col[r0 + r]);
    }
    acc.fill(0);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t];
      const dt = depth[t];
      let r = 0;
      for (; r + 4 <= nb; r += 4) {
        const o0 = r * nF;
        const o1 = o0 + nF;
        const o2 = o1 + nF;
        const o3 = o2 + nF;
        let a = root;
        let b = root;
        let c = root;
        let e = root;
        for (let d = dt; d > 0; d--) {
          a = left[a] + ((rank[a] - codes[o0 + feature[a]]) >>> 31);
          b = left[b] + ((rank[b] - codes[o1 + feature[b]]) >>> 31);
          c = left[c] + ((rank[c] - codes[o2 + feature[c]]) >>> 31);
          e = left[e] + ((rank[e] - codes[o3 + feature[e]]) >>> 31);
        }
        leaf[r] = a;
        leaf[r + 1] = b;
        leaf[r + 2] = c;
        leaf[r + 3] = e;
      }
      for (; r < nb; r++) {
        const o = r * nF;
        let a = root;
        for (let d = dt; d > 0; d--) a = left[a] + ((rank[a] - codes[o + feature[a]]) >>> 31);
        leaf[r] = a;
      }
      if (nO === 1) {
        for (let i = 0; i < nb; i++) acc[i] += value[leaf[i]];
      } else {
        for (let i = 0; i < nb; i++) for (let k = 0; k < nO; k++) acc[i * nO + k] += value[leaf[i] * nO + k];
      }
    }
    for (let i = 0; i < nb * nO; i++) result[r0 * nO + i] = acc[i] / nTrees;
  }
  return result;
}
