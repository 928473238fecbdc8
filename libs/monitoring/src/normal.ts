/**
 * The standard normal distribution in double precision, for the promotion criterion's
 * confidence bound and p-value. No dependency: the cdf is Hart's algorithm 5666 as given by
 * West (2005, "Better approximations to cumulative normal functions") below 3 and Laplace's
 * continued fraction beyond, relative error ~1e-15 (checked against SciPy);
 * the quantile is Acklam's rational approximation (~1e-9) refined by one Halley step on it.
 */

const SQRT_2PI = 2.5066282746310002;

/** P(Z > x) for x ≥ 0, without the cancellation of 1 − Φ(x). */
function upperTailOfAbs(x: number): number {
  const e = Math.exp((-x * x) / 2);
  if (x < 3) {
    let n = 3.52624965998911e-2 * x + 0.700383064443688;
    n = n * x + 6.37396220353165;
    n = n * x + 33.912866078383;
    n = n * x + 112.079291497871;
    n = n * x + 221.213596169931;
    n = n * x + 220.206867912376;
    let d = 8.83883476483184e-2 * x + 1.75566716318264;
    d = d * x + 16.064177579207;
    d = d * x + 86.7807322029461;
    d = d * x + 296.564248779674;
    d = d * x + 637.333633378831;
    d = d * x + 793.826512519948;
    d = d * x + 440.413735824752;
    return (e * n) / d;
  }
  // Laplace's continued fraction from 3 on: Hart's rational form is accurate in absolute terms
  // only (relative error 1e-9 by x = 7); 60 terms keep the relative error near 1e-15.
  let b = x;
  for (let k = 60; k >= 1; k--) b = x + k / b;
  return e / b / SQRT_2PI;
}

/** Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = upperTailOfAbs(Math.abs(x));
  return x > 0 ? 1 - tail : tail;
}

/** P(Z ≥ x), accurate far into the upper tail (the one-sided p-value of a z statistic). */
export function normalUpperTail(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = upperTailOfAbs(Math.abs(x));
  return x > 0 ? tail : 1 - tail;
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function tailQuantile(q: number): number {
  return (
    (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
    ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1)
  );
}

/** Φ⁻¹(p): the z with P(Z ≤ z) = p, for 0 < p < 1 (±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile(${p}): p must lie in [0, 1]`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x: number;
  if (p < P_LOW) x = tailQuantile(Math.sqrt(-2 * Math.log(p)));
  else if (p > 1 - P_LOW) x = -tailQuantile(Math.sqrt(-2 * Math.log1p(-p)));
  else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  // One Halley step on the error against the exact cdf (upper side taken from the tail, so
  // p near 1 keeps its precision).
  const e = p > 0.5 ? normalUpperTail(x) - (1 - p) : normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return p > 0.5 ? x + u / (1 - (x * u) / 2) : x - u / (1 + (x * u) / 2);
}
