/**
 * Two models' errors on the same rows, as a mergeable partial: per row
 * d = (production − y)² − (candidate − y)², kept as count, mean and M2 (Welford), so partitions
 * merge exactly (Chan et al.) without the cancellation of Σd² − n·mean² on squared salaries.
 */
export interface PairedErrors {
  n: number;
  /** Mean of d: positive means the candidate's squared errors are smaller. */
  mean: number;
  /** Σ (d − mean)². */
  m2: number;
  /** Σ (production − y)² and Σ (candidate − y)² over the same rows. */
  sseProduction: number;
  sseCandidate: number;
}

export const emptyPairedErrors = (): PairedErrors => ({
  n: 0,
  mean: 0,
  m2: 0,
  sseProduction: 0,
  sseCandidate: 0,
});

/**
 * Adds the rows `rows` (indices into the arrays) of one partition to `into`. One pass over
 * typed arrays; the caller picks the rows (labelled, predicted by both, outside the training split).
 */
export function addPairedErrors(
  into: PairedErrors,
  y: Float64Array,
  production: Float64Array,
  candidate: Float64Array,
  rows: Uint32Array,
): PairedErrors {
  let { n, mean, m2, sseProduction, sseCandidate } = into;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const ep = production[i]! - y[i]!;
    const ec = candidate[i]! - y[i]!;
    const sp = ep * ep;
    const sc = ec * ec;
    sseProduction += sp;
    sseCandidate += sc;
    const d = sp - sc;
    n++;
    const delta = d - mean;
    mean += delta / n;
    m2 += delta * (d - mean);
  }
  return { n, mean, m2, sseProduction, sseCandidate };
}

/** The statistics of both sets of rows together (Chan's parallel update). */
export function mergePairedErrors(a: PairedErrors, b: PairedErrors): PairedErrors {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    sseProduction: a.sseProduction + b.sseProduction,
    sseCandidate: a.sseCandidate + b.sseCandidate,
  };
}
