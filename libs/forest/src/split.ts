import { MAX_BINS } from './binning';

/** The best split found in a node's histogram (feature −1 when none is valid). */
export interface SplitResult {
  feature: number;
  bin: number;
  /** Σ_c (L_c² / wL + R_c² / wR): larger is better (the MSE / Gini proxy of scikit-learn). */
  proxy: number;
  countLeft: number;
  weightLeft: number;
}

/**
 * Scans every bin boundary of one feature and updates `best` when a strictly better split exists.
 * `total` holds the node's [count, weight, channels…]. Returns false when the feature is constant
 * in the node (a single non-empty bin).
 */
export function scanFeature(
  hist: Float64Array,
  f: number,
  nBins: number,
  nChannels: number,
  total: Float64Array,
  minSamplesLeaf: number,
  left: Float64Array,
  best: SplitResult,
): boolean {
  const stride = 2 + nChannels;
  const base = f * MAX_BINS * stride;
  let nonEmpty = 0;
  for (let b = 0; b < nBins; b++) if (hist[base + b * stride] > 0) nonEmpty++;
  if (nonEmpty < 2) return false;
  left.fill(0);
  const n = total[0];
  const w = total[1];
  for (let b = 0; b < nBins - 1; b++) {
    const k = base + b * stride;
    if (hist[k] === 0) continue;
    for (let j = 0; j < stride; j++) left[j] += hist[k + j];
    const nL = left[0];
    if (nL < minSamplesLeaf) continue;
    if (n - nL < minSamplesLeaf) break;
    const wL = left[1];
    const wR = w - wL;
    if (wL <= 0 || wR <= 0) continue;
    let proxy = 0;
    for (let c = 0; c < nChannels; c++) {
      const l = left[2 + c];
      const r = total[2 + c] - l;
      proxy += (l * l) / wL + (r * r) / wR;
    }
    if (proxy > best.proxy) {
      best.feature = f;
      best.bin = b;
      best.proxy = proxy;
      best.countLeft = nL;
      best.weightLeft = wL;
    }
  }
  return true;
}
