import { ForestInputError } from './errors';
import { type FeatureMatrix, assertFiniteColumns } from './matrix';
import { Rng } from './rng';

export const MAX_BINS = 256;
const SAMPLE_FOR_EDGES = 200_000;

/**
 * Features quantised once per dataset: per feature up to 256 bins, codes stored column-major as
 * uint8 in one SharedArrayBuffer so worker threads read them without copying.
 * Bin b of feature f holds the values x with edges[f][b-1] < x ≤ edges[f][b]; the last bin is
 * unbounded above, so "code ≤ b" ⇔ "x ≤ edges[f][b]" and a split keeps its real threshold.
 */
export interface BinnedDataset {
  readonly nRows: number;
  readonly nFeatures: number;
  /** nFeatures × nRows codes, feature f at byte offset f · nRows. */
  readonly codes: SharedArrayBuffer;
  /** Upper edges per feature; edges[f].length = nBins[f] − 1. */
  readonly edges: Float64Array[];
  /** Smallest and largest value seen in each bin, so thresholds fall midway between real values. */
  readonly binMin: Float64Array[];
  readonly binMax: Float64Array[];
  /** 1 when every bin of the feature holds a single value (binning lost nothing). */
  readonly exact: Uint8Array;
  /** The raw values (float64, column-major, shared) when some feature is not exact: splits refine on them. */
  readonly raw?: SharedArrayBuffer;
  /** Rows with identical codes on every feature, when binning is exact and such groups are few (see groupRows). */
  readonly groups?: RowGroups;
}

/** Groups of rows with the same code on every feature; `codes` is nFeatures × nGroups. */
export interface RowGroups {
  readonly nGroups: number;
  /** nRows group ids (shared). */
  readonly groupOf: Uint32Array;
  readonly codes: SharedArrayBuffer;
}

const MAX_GROUP_KEYS = 1 << 20;

export function binDataset(x: FeatureMatrix, seed = 0): BinnedDataset {
  assertFiniteColumns(x);
  const { nRows } = x;
  const nFeatures = x.columns.length;
  if (nRows === 0) throw new ForestInputError('cannot bin an empty dataset (0 rows)', 'X');
  if (nFeatures === 0) throw new ForestInputError('cannot bin a dataset with no features', 'X');
  const codes = new SharedArrayBuffer(nRows * nFeatures);
  const edges: Float64Array[] = [];
  const binMin: Float64Array[] = [];
  const binMax: Float64Array[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const col = x.columns[f];
    const e = binEdges(col, MAX_BINS, seed + f);
    const out = new Uint8Array(codes, f * nRows, nRows);
    encodeColumn(col, e, out);
    const lo = new Float64Array(e.length + 1).fill(Number.POSITIVE_INFINITY);
    const hi = new Float64Array(e.length + 1).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < nRows; i++) {
      const b = out[i];
      const v = col[i];
      if (v < lo[b]) lo[b] = v;
      if (v > hi[b]) hi[b] = v;
    }
    edges.push(e);
    binMin.push(lo);
    binMax.push(hi);
  }
  const exact = Uint8Array.from(binMin, (lo, f) => (lo.every((v, b) => !(v < binMax[f][b])) ? 1 : 0));
  let raw: SharedArrayBuffer | undefined;
  if (exact.includes(0)) {
    const shared = new SharedArrayBuffer(nRows * nFeatures * 8);
    x.columns.forEach((col, f) => {
      const out = new Float64Array(shared, f * nRows * 8, nRows);
      for (let i = 0; i < nRows; i++) out[i] = col[i];
    });
    raw = shared;
  }
  // grouping is exact only when binning is: otherwise splits refine on raw values, row by row
  const groups = raw
    ? undefined
    : groupRows(
        codes,
        nRows,
        edges.map((e) => e.length + 1),
      );
  return {
    nRows,
    nFeatures,
    codes,
    edges,
    binMin,
    binMax,
    exact,
    ...(raw ? { raw } : {}),
    ...(groups ? { groups } : {}),
  };
}

/** Bin edges of one column: midpoints between distinct values, or between sample quantiles when there are too many. */
export function binEdges(col: ArrayLike<number>, maxBins: number, seed: number): Float64Array {
  const sample = sampleSorted(col, seed);
  const distinct: number[] = [];
  for (let i = 0; i < sample.length; i++)
    if (i === 0 || sample[i] !== sample[i - 1]) distinct.push(sample[i]);
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) edges.push(midpoint(distinct[i - 1], distinct[i]));
  } else {
    const n = sample.length;
    for (let b = 1; b < maxBins; b++) {
      const q = Math.floor((b * n) / maxBins);
      // first position at or after q where the value changes, so every edge separates real values
      let j = q;
      while (j < n && sample[j] === sample[j - 1]) j++;
      if (j >= n) break;
      const e = midpoint(sample[j - 1], sample[j]);
      if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    }
  }
  return Float64Array.from(edges);
}

/** Like scikit-learn: the midpoint, or the lower value when rounding puts the midpoint on the upper one. */
export function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m >= b || m === Number.POSITIVE_INFINITY ? a : m;
}

function sampleSorted(col: ArrayLike<number>, seed: number): Float64Array {
  const n = col.length;
  if (n <= SAMPLE_FOR_EDGES) return Float64Array.from(col).sort();
  const rng = new Rng(seed, 0x5eed);
  const s = new Float64Array(SAMPLE_FOR_EDGES);
  for (let i = 0; i < s.length; i++) s[i] = col[rng.nextInt(n)];
  // always keep the extremes so no value falls outside the sampled range unnoticed
  let lo = col[0];
  let hi = col[0];
  for (let i = 1; i < n; i++) {
    const v = col[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  s[0] = lo;
  s[1] = hi;
  return s.sort();
}

/** Code of each value: the number of edges strictly below it (binary search). */
export function encodeColumn(col: ArrayLike<number>, edges: Float64Array, out: Uint8Array): void {
  const ne = edges.length;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    let lo = 0;
    let hi = ne;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
}

/**
 * Groups rows by their tuple of codes when the tuples are few (at most nRows / 8 and 65536), so
 * trees can be grown over groups instead of rows; undefined otherwise.
 */
export function groupRows(codes: SharedArrayBuffer, nRows: number, nBins: number[]): RowGroups | undefined {
  let keys = 1;
  for (const b of nBins) {
    keys *= b;
    if (keys > MAX_GROUP_KEYS) return undefined;
  }
  const maxGroups = Math.min(65536, Math.floor(nRows / 8));
  const cols = nBins.map((_, f) => new Uint8Array(codes, f * nRows, nRows));
  const keyOf = new Uint32Array(nRows);
  for (let f = cols.length - 1; f >= 0; f--) {
    const c = cols[f];
    const b = nBins[f];
    for (let r = 0; r < nRows; r++) keyOf[r] = keyOf[r] * b + c[r];
  }
  const groupOfKey = new Int32Array(keys).fill(-1);
  const groupOf = new Uint32Array(new SharedArrayBuffer(nRows * 4));
  const firstRow: number[] = [];
  for (let r = 0; r < nRows; r++) {
    const k = keyOf[r];
    let g = groupOfKey[k];
    if (g < 0) {
      if (firstRow.length >= maxGroups) return undefined;
      g = groupOfKey[k] = firstRow.length;
      firstRow.push(r);
    }
    groupOf[r] = g;
  }
  const nGroups = firstRow.length;
  const groupCodes = new SharedArrayBuffer(cols.length * nGroups);
  cols.forEach((c, f) => {
    const out = new Uint8Array(groupCodes, f * nGroups, nGroups);
    for (let g = 0; g < nGroups; g++) out[g] = c[firstRow[g]];
  });
  return { nGroups, groupOf, codes: groupCodes };
}

/**
 * The feature values of each group of identical rows (column-major, nGroups long), when the data
 * has groups: binning is then exact, so a group's code is one value. Predicting these few rows
 * predicts every row of the group.
 */
export function groupValues(data: BinnedDataset): Float64Array[] | undefined {
  const g = data.groups;
  if (!g) return undefined;
  return data.binMin.map((lo, f) => {
    const codes = new Uint8Array(g.codes, f * g.nGroups, g.nGroups);
    return Float64Array.from(codes, (c) => lo[c]);
  });
}
