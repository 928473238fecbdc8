import { type Histogram, sameEdges, totalCount } from './histogram';

/**
 * Floor on a bin's share in PSI: an empty bin on one side only would make ln(a/e) infinite.
 * 1e-4 is the usual choice (one in ten thousand); bins empty on both sides add nothing.
 */
export const PSI_EPSILON = 1e-4;

function assertComparable(reference: Histogram, current: Histogram): void {
  if (!sameEdges(reference, current))
    throw new RangeError(
      `drift of ${current.column}: the reference histogram (${reference.column}, ${reference.edges.length} edges) and the current one (${current.edges.length} edges) have different edges`,
    );
  if (totalCount(reference) === 0 || totalCount(current) === 0)
    throw new RangeError(`drift of ${current.column}: a histogram is empty`);
}

/**
 * Population stability index Σ (c_i − r_i)·ln(c_i / r_i) over the bins' shares, each floored at
 * PSI_EPSILON. 0 for identical shares; above 0.2 is commonly read as a significant shift.
 */
export function psi(reference: Histogram, current: Histogram): number {
  assertComparable(reference, current);
  const nr = totalCount(reference);
  const nc = totalCount(current);
  let sum = 0;
  for (let i = 0; i < reference.counts.length; i++) {
    const rc = reference.counts[i]!;
    const cc = current.counts[i]!;
    if (rc === 0 && cc === 0) continue;
    const r = Math.max(rc / nr, PSI_EPSILON);
    const c = Math.max(cc / nc, PSI_EPSILON);
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

/**
 * The two-sample Kolmogorov–Smirnov statistic on binned data: the largest gap between the two
 * empirical CDFs at the bin edges. It never exceeds the exact statistic and equals it when every
 * value lies on a bin's lower edge (integers in unit bins).
 */
export function ksStatistic(reference: Histogram, current: Histogram): number {
  assertComparable(reference, current);
  const nr = totalCount(reference);
  const nc = totalCount(current);
  let cr = 0;
  let cc = 0;
  let d = 0;
  for (let i = 0; i < reference.counts.length; i++) {
    cr += reference.counts[i]!;
    cc += current.counts[i]!;
    d = Math.max(d, Math.abs(cr / nr - cc / nc));
  }
  return d;
}
