import { type BinnedDataset, midpoint } from './binning';
import { scratchF64, scratchI32, scratchU32 } from './scratch';
import { buildClassHistogram, buildGroupedHistogram, buildRegressionHistogram } from './histogram';

/**
 * The in-bag rows of one tree as positions [0, size) that nodes own as contiguous ranges.
 * Totals are [distinct rows, weight, channels…, Σ w·y² (regression)].
 */
export interface RowSet {
  readonly size: number;
  /** Sums over positions [start, end). */
  totals(start: number, end: number, out: Float64Array): void;
  histogram(start: number, end: number, hist: Float64Array): void;
  /** Stable partition of [start, end) by code ≤ bin of feature f; returns the first right position. */
  partition(
    start: number,
    end: number,
    f: number,
    bin: number,
    left: Float64Array,
    right: Float64Array,
  ): number;
  /**
   * Searches the exact values of bins lo and hi (adjacent in the node) of feature f for the best
   * threshold; `below` holds the sums of the node's bins under lo. Returns undefined when no
   * valid threshold exists there.
   */
  refine?(
    start: number,
    end: number,
    f: number,
    lo: number,
    hi: number,
    below: Float64Array,
    totals: Float64Array,
    minSamplesLeaf: number,
  ): number | undefined;
  /** Stable partition by the raw value: x ≤ threshold goes left. */
  partitionAt?(
    start: number,
    end: number,
    f: number,
    threshold: number,
    left: Float64Array,
    right: Float64Array,
  ): number;
}

/** Per-group sums of a grouped regression tree: distinct rows, Σw, Σw·y, Σw·y². */
export function groupSums(nGroups: number): Float64Array[] {
  return [0, 1, 2, 3].map(() => new Float64Array(nGroups));
}

function inBag(counts: Uint16Array): number {
  let n = 0;
  for (let r = 0; r < counts.length; r++) if (counts[r] > 0) n++;
  return n;
}

function featureCodes(buffer: SharedArrayBuffer, nFeatures: number, n: number): Uint8Array[] {
  return Array.from({ length: nFeatures }, (_, f) => new Uint8Array(buffer, f * n, n));
}

/** Regression over rows: per position the row, its bootstrap weight and its target. */
export class RegressionRows implements RowSet {
  readonly size: number;
  private readonly codes: Uint8Array[];
  private readonly idx: Uint32Array;
  private readonly w: Float64Array;
  private readonly y: Float64Array;
  private readonly tIdx: Uint32Array;
  private readonly tW: Float64Array;
  private readonly tY: Float64Array;

  private readonly raw: Float64Array[];

  constructor(data: BinnedDataset, y: Float64Array, counts: Uint16Array) {
    const nIn = inBag(counts);
    this.size = nIn;
    this.codes = featureCodes(data.codes, data.nFeatures, data.nRows);
    const raw = data.raw;
    this.raw = raw
      ? Array.from(
          { length: data.nFeatures },
          (_, f) => new Float64Array(raw, f * data.nRows * 8, data.nRows),
        )
      : [];
    this.idx = scratchU32('idx', nIn);
    this.w = scratchF64('w', nIn);
    this.y = scratchF64('y', nIn);
    for (let r = 0, i = 0; r < counts.length; r++) {
      const c = counts[r];
      if (c === 0) continue;
      this.idx[i] = r;
      this.w[i] = c;
      this.y[i] = y[r];
      i++;
    }
    this.tIdx = scratchU32('tIdx', nIn);
    this.tW = scratchF64('tW', nIn);
    this.tY = scratchF64('tY', nIn);
  }

  totals(start: number, end: number, out: Float64Array): void {
    out.fill(0);
    out[0] = end - start;
    for (let i = start; i < end; i++) {
      const wi = this.w[i];
      const yi = this.y[i];
      out[1] += wi;
      out[2] += wi * yi;
      out[3] += wi * yi * yi;
    }
  }

  histogram(start: number, end: number, hist: Float64Array): void {
    buildRegressionHistogram(this.codes, this.idx, this.w, this.y, start, end, hist);
  }

  partition(
    start: number,
    end: number,
    f: number,
    bin: number,
    left: Float64Array,
    right: Float64Array,
  ): number {
    const idx = this.idx;
    const w = this.w;
    const y = this.y;
    const tIdx = this.tIdx;
    const tW = this.tW;
    const tY = this.tY;
    const fc = this.codes[f];
    let l = start;
    let r = 0;
    let wL = 0;
    let sL = 0;
    let qL = 0;
    let wR = 0;
    let sR = 0;
    let qR = 0;
    // branch-free: write to both sides, advance one
    for (let i = start; i < end; i++) {
      const row = idx[i];
      const wi = w[i];
      const yi = y[i];
      const goLeft = fc[row] <= bin ? 1 : 0;
      idx[l] = row;
      w[l] = wi;
      y[l] = yi;
      tIdx[r] = row;
      tW[r] = wi;
      tY[r] = yi;
      l += goLeft;
      r += 1 - goLeft;
      const gw = goLeft * wi;
      const rw = wi - gw;
      wL += gw;
      sL += gw * yi;
      qL += gw * yi * yi;
      wR += rw;
      sR += rw * yi;
      qR += rw * yi * yi;
    }
    idx.set(tIdx.subarray(0, r), l);
    w.set(tW.subarray(0, r), l);
    y.set(tY.subarray(0, r), l);
    left[0] = l - start;
    left[1] = wL;
    left[2] = sL;
    left[3] = qL;
    right[0] = r;
    right[1] = wR;
    right[2] = sR;
    right[3] = qR;
    return l;
  }
  refine(
    start: number,
    end: number,
    f: number,
    lo: number,
    hi: number,
    below: Float64Array,
    totals: Float64Array,
    minSamplesLeaf: number,
  ): number | undefined {
    if (this.raw.length === 0) return undefined;
    const fc = this.codes[f];
    const xf = this.raw[f];
    const idx = this.idx;
    const w = this.w;
    const y = this.y;
    // gather the rows of bins lo and hi
    let k = 0;
    for (let i = start; i < end; i++) {
      const c = fc[idx[i]];
      if (c === lo || c === hi) k++;
    }
    const order = scratchU32('order', k);
    const gx = scratchF64('gx', k);
    const gw = scratchF64('gw', k);
    const gy = scratchF64('gy', k);
    for (let i = start, j = 0; i < end; i++) {
      const row = idx[i];
      const c = fc[row];
      if (c !== lo && c !== hi) continue;
      gx[j] = xf[row];
      gw[j] = w[i];
      gy[j] = y[i];
      order[j] = j;
      j++;
    }
    order.sort((a, b) => gx[a] - gx[b] || a - b);
    // scan thresholds between consecutive distinct values
    const n = totals[0];
    const wt = totals[1];
    const st = totals[2];
    let nL = below[0];
    let wL = below[1];
    let sL = below[2];
    let bestProxy = Number.NEGATIVE_INFINITY;
    let bestThreshold: number | undefined;
    for (let j = 0; j < k - 1; j++) {
      const o = order[j];
      nL += 1;
      wL += gw[o];
      sL += gw[o] * gy[o];
      const x0 = gx[o];
      const x1 = gx[order[j + 1]];
      if (x0 === x1 || nL < minSamplesLeaf || n - nL < minSamplesLeaf) continue;
      const wR = wt - wL;
      if (wL <= 0 || wR <= 0) continue;
      const sR = st - sL;
      const proxy = (sL * sL) / wL + (sR * sR) / wR;
      if (proxy > bestProxy) {
        bestProxy = proxy;
        bestThreshold = midpoint(x0, x1);
      }
    }
    return bestThreshold;
  }

  partitionAt(
    start: number,
    end: number,
    f: number,
    threshold: number,
    left: Float64Array,
    right: Float64Array,
  ): number {
    const idx = this.idx;
    const w = this.w;
    const y = this.y;
    const tIdx = this.tIdx;
    const tW = this.tW;
    const tY = this.tY;
    const xf = this.raw[f];
    left.fill(0);
    right.fill(0);
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = idx[i];
      const wi = w[i];
      const yi = y[i];
      if (xf[row] <= threshold) {
        idx[l] = row;
        w[l] = wi;
        y[l] = yi;
        left[1] += wi;
        left[2] += wi * yi;
        left[3] += wi * yi * yi;
        l++;
      } else {
        tIdx[r] = row;
        tW[r] = wi;
        tY[r] = yi;
        right[1] += wi;
        right[2] += wi * yi;
        right[3] += wi * yi * yi;
        r++;
      }
    }
    idx.set(tIdx.subarray(0, r), l);
    w.set(tW.subarray(0, r), l);
    y.set(tY.subarray(0, r), l);
    left[0] = l - start;
    right[0] = r;
    return l;
  }
}

/**
 * Regression over groups of rows with identical codes on every feature (the study's data has
 * 126): per position a group and its in-bag sums. Lossless: every statistic a tree uses is a sum
 * over rows, and rows of a group always go the same way.
 */
export class GroupedRegressionRows implements RowSet {
  readonly size: number;
  private readonly codes: Uint8Array[];
  private readonly idx: Uint32Array;
  /** Per position: distinct rows, Σw, Σw·y, Σw·y². */
  private readonly stats: Float64Array[];
  private readonly tIdx: Uint32Array;
  private readonly tStats: Float64Array[];

  /** From per-row bootstrap weights. */
  static fromCounts(data: BinnedDataset, y: Float64Array, counts: Uint16Array): GroupedRegressionRows {
    const g = data.groups!;
    const sums = groupSums(g.nGroups);
    const [n, w, s, q] = sums as [Float64Array, Float64Array, Float64Array, Float64Array];
    const groupOf = g.groupOf;
    for (let r = 0; r < counts.length; r++) {
      const c = counts[r];
      if (c === 0) continue;
      const k = groupOf[r];
      const yr = y[r];
      n[k] += 1;
      w[k] += c;
      s[k] += c * yr;
      q[k] += c * yr * yr;
    }
    return new GroupedRegressionRows(data, sums);
  }

  /** From per-group in-bag sums: distinct rows, Σw, Σw·y, Σw·y² (see groupedPoissonSums). */
  constructor(data: BinnedDataset, sums: Float64Array[]) {
    const g = data.groups!;
    const [n, w, s, q] = sums as [Float64Array, Float64Array, Float64Array, Float64Array];
    let size = 0;
    for (let k = 0; k < g.nGroups; k++) if (n[k] > 0) size++;
    this.size = size;
    this.codes = featureCodes(g.codes, data.nFeatures, g.nGroups);
    this.idx = new Uint32Array(size);
    this.stats = [0, 1, 2, 3].map(() => new Float64Array(size));
    for (let k = 0, i = 0; k < g.nGroups; k++) {
      if (n[k] === 0) continue;
      this.idx[i] = k;
      this.stats[0][i] = n[k];
      this.stats[1][i] = w[k];
      this.stats[2][i] = s[k];
      this.stats[3][i] = q[k];
      i++;
    }
    this.tIdx = new Uint32Array(size);
    this.tStats = [0, 1, 2, 3].map(() => new Float64Array(size));
  }

  totals(start: number, end: number, out: Float64Array): void {
    out.fill(0);
    for (let j = 0; j < 4; j++) for (let i = start; i < end; i++) out[j] += this.stats[j][i];
  }

  histogram(start: number, end: number, hist: Float64Array): void {
    buildGroupedHistogram(this.codes, this.idx, this.stats, start, end, hist);
  }

  partition(
    start: number,
    end: number,
    f: number,
    bin: number,
    left: Float64Array,
    right: Float64Array,
  ): number {
    const fc = this.codes[f];
    const idx = this.idx;
    const tIdx = this.tIdx;
    const stats = this.stats;
    const tStats = this.tStats;
    left.fill(0);
    right.fill(0);
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const k = idx[i];
      if (fc[k] <= bin) {
        idx[l] = k;
        for (let j = 0; j < 4; j++) {
          const v = stats[j][i];
          stats[j][l] = v;
          left[j] += v;
        }
        l++;
      } else {
        tIdx[r] = k;
        for (let j = 0; j < 4; j++) {
          const v = stats[j][i];
          tStats[j][r] = v;
          right[j] += v;
        }
        r++;
      }
    }
    idx.set(tIdx.subarray(0, r), l);
    for (let j = 0; j < 4; j++) stats[j].set(tStats[j].subarray(0, r), l);
    return l;
  }
}

/** Classification over rows: per position the row, its bootstrap weight and its class. */
export class ClassRows implements RowSet {
  readonly size: number;
  private readonly codes: Uint8Array[];
  private readonly idx: Uint32Array;
  private readonly w: Float64Array;
  private readonly cls: Int32Array;
  private readonly tIdx: Uint32Array;
  private readonly tW: Float64Array;
  private readonly tCls: Int32Array;

  constructor(
    data: BinnedDataset,
    labels: Int32Array,
    private readonly nClasses: number,
    counts: Uint16Array,
  ) {
    const nIn = inBag(counts);
    this.size = nIn;
    this.codes = featureCodes(data.codes, data.nFeatures, data.nRows);
    this.idx = scratchU32('idx', nIn);
    this.w = scratchF64('w', nIn);
    this.cls = scratchI32('cls', nIn);
    for (let r = 0, i = 0; r < counts.length; r++) {
      const c = counts[r];
      if (c === 0) continue;
      this.idx[i] = r;
      this.w[i] = c;
      this.cls[i] = labels[r];
      i++;
    }
    this.tIdx = scratchU32('tIdx', nIn);
    this.tW = scratchF64('tW', nIn);
    this.tCls = scratchI32('tCls', nIn);
  }

  totals(start: number, end: number, out: Float64Array): void {
    out.fill(0);
    out[0] = end - start;
    for (let i = start; i < end; i++) {
      out[1] += this.w[i];
      out[2 + this.cls[i]] += this.w[i];
    }
  }

  histogram(start: number, end: number, hist: Float64Array): void {
    buildClassHistogram(this.codes, this.idx, this.w, this.cls, this.nClasses, start, end, hist);
  }

  partition(
    start: number,
    end: number,
    f: number,
    bin: number,
    left: Float64Array,
    right: Float64Array,
  ): number {
    const idx = this.idx;
    const w = this.w;
    const cls = this.cls;
    const tIdx = this.tIdx;
    const tW = this.tW;
    const tCls = this.tCls;
    const fc = this.codes[f];
    left.fill(0);
    right.fill(0);
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = idx[i];
      const wi = w[i];
      const c = cls[i];
      if (fc[row] <= bin) {
        idx[l] = row;
        w[l] = wi;
        cls[l] = c;
        left[1] += wi;
        left[2 + c] += wi;
        l++;
      } else {
        tIdx[r] = row;
        tW[r] = wi;
        tCls[r] = c;
        right[1] += wi;
        right[2 + c] += wi;
        r++;
      }
    }
    idx.set(tIdx.subarray(0, r), l);
    w.set(tW.subarray(0, r), l);
    cls.set(tCls.subarray(0, r), l);
    left[0] = l - start;
    right[0] = r;
    return l;
  }
}
