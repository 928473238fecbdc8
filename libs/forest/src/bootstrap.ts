import type { Rng } from './rng';

/** multinomial: scikit-learn's draws with replacement; poisson: Spark MLlib's per-row weights. */
export type BootstrapMethod = 'multinomial' | 'poisson';

/**
 * Bootstrap draws as per-row integer weights, over all rows or over a subset (`rows`, ascending
 * row indices; other rows get weight 0).
 * - multinomial (scikit-learn's): nDraws rows drawn with replacement;
 * - poisson (Spark MLlib's): each row independently Poisson(nDraws / m) times, one 32-bit draw per
 *   row in row order. The two agree as m grows; Poisson needs no random writes, so a pass over
 *   millions of rows streams (see groupedPoissonSums).
 */
export function drawMultinomial(
  rng: Rng,
  counts: Uint16Array,
  rows: Uint32Array | undefined,
  nDraws: number,
): void {
  if (!rows) {
    const n = counts.length;
    for (let i = 0; i < nDraws; i++) counts[rng.nextInt(n)]++;
    return;
  }
  const m = rows.length;
  for (let i = 0; i < nDraws; i++) counts[rows[rng.nextInt(m)]]++;
}

const BLOCK = 4096;
const MAX_K = 64;

/** 32-bit thresholds of Poisson(λ)'s CDF: weight k ⇔ thresholds[k−1] ≤ u < thresholds[k]. */
export function poissonThresholds(lambda: number): Float64Array {
  const t: number[] = [];
  let p = Math.exp(-lambda);
  let cdf = 0;
  for (let k = 0; k < MAX_K; k++) {
    cdf += p;
    const v = Math.floor(cdf * 4294967296);
    t.push(Math.min(v, 4294967296));
    if (v >= 4294967295) break;
    p *= lambda / (k + 1);
  }
  t[t.length - 1] = 4294967296;
  return Float64Array.from(t);
}

function poissonOf(u: number, t: Float64Array): number {
  let k = 1;
  while (u >= t[k]) k++;
  return k;
}

export function drawPoisson(
  rng: Rng,
  counts: Uint16Array,
  rows: Uint32Array | undefined,
  lambda: number,
): void {
  const t = poissonThresholds(lambda);
  const t0 = t[0];
  const m = rows ? rows.length : counts.length;
  const u = new Uint32Array(BLOCK);
  for (let j0 = 0; j0 < m; j0 += BLOCK) {
    const len = Math.min(BLOCK, m - j0);
    rng.fillU32(len === BLOCK ? u : u.subarray(0, len));
    for (let i = 0; i < len; i++) {
      const ui = u[i];
      const r = rows ? rows[j0 + i] : j0 + i;
      counts[r] = ui < t0 ? 0 : poissonOf(ui, t);
    }
  }
}

/**
 * The Poisson bootstrap of `drawPoisson` summed straight into groups of identical rows: per group
 * distinct rows drawn, Σw, Σw·y, Σw·y² (out[0..3], zeroed here). Same draws, same sums as
 * drawPoisson followed by a pass over the counts, without the nRows-long counts array.
 */
export function groupedPoissonSums(
  rng: Rng,
  groupOf: Uint32Array,
  y: Float64Array,
  rows: Uint32Array | undefined,
  lambda: number,
  out: Float64Array[],
): void {
  const [n, w, s, q] = out as [Float64Array, Float64Array, Float64Array, Float64Array];
  n.fill(0);
  w.fill(0);
  s.fill(0);
  q.fill(0);
  const t = poissonThresholds(lambda);
  const t0 = t[0];
  const m = rows ? rows.length : groupOf.length;
  const u = new Uint32Array(BLOCK);
  for (let j0 = 0; j0 < m; j0 += BLOCK) {
    const len = Math.min(BLOCK, m - j0);
    rng.fillU32(len === BLOCK ? u : u.subarray(0, len));
    for (let i = 0; i < len; i++) {
      const ui = u[i];
      if (ui < t0) continue;
      const c = poissonOf(ui, t);
      const r = rows ? rows[j0 + i] : j0 + i;
      const k = groupOf[r];
      const yr = y[r];
      n[k]++;
      w[k] += c;
      s[k] += c * yr;
      q[k] += c * yr * yr;
    }
  }
}
