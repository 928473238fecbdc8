import { MAX_BINS } from './binning';

/**
 * Per-node histograms. For each feature and bin, `stride` numbers: distinct-row count, bootstrap
 * weight, then the target channels (regression: Σ w·y; classification: Σ w per class).
 * Layout: hist[(f · 256 + bin) · stride + k].
 */
export function histogramSize(nFeatures: number, nChannels: number): number {
  return nFeatures * MAX_BINS * (2 + nChannels);
}

/** Regression histogram of the rows at positions [start, end); w and y are aligned with idx. */
export function buildRegressionHistogram(
  codes: readonly Uint8Array[],
  idx: Uint32Array,
  w: Float64Array,
  y: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  hist.fill(0);
  for (let f = 0; f < codes.length; f++) {
    const c = codes[f];
    const base = f * MAX_BINS * 3;
    for (let i = start; i < end; i++) {
      const k = base + c[idx[i]] * 3;
      hist[k] += 1;
      const wi = w[i];
      hist[k + 1] += wi;
      hist[k + 2] += wi * y[i];
    }
  }
}

/** Classification histogram of the rows at positions [start, end); `cls` holds class indices. */
export function buildClassHistogram(
  codes: readonly Uint8Array[],
  idx: Uint32Array,
  w: Float64Array,
  cls: Int32Array,
  nClasses: number,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  hist.fill(0);
  const stride = 2 + nClasses;
  for (let f = 0; f < codes.length; f++) {
    const c = codes[f];
    const base = f * MAX_BINS * stride;
    for (let i = start; i < end; i++) {
      const k = base + c[idx[i]] * stride;
      hist[k] += 1;
      hist[k + 1] += w[i];
      hist[k + 2 + cls[i]] += w[i];
    }
  }
}

/** parent ← parent − child: the sibling's histogram without touching its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}

/** Regression histogram over groups of identical rows; stats = [rows, Σw, Σw·y, Σw·y²] per position. */
export function buildGroupedHistogram(
  codes: readonly Uint8Array[],
  idx: Uint32Array,
  stats: readonly Float64Array[],
  start: number,
  end: number,
  hist: Float64Array,
): void {
  hist.fill(0);
  const [n, w, s] = stats;
  for (let f = 0; f < codes.length; f++) {
    const c = codes[f];
    const base = f * MAX_BINS * 3;
    for (let i = start; i < end; i++) {
      const k = base + c[idx[i]] * 3;
      hist[k] += n[i];
      hist[k + 1] += w[i];
      hist[k + 2] += s[i];
    }
  }
}
