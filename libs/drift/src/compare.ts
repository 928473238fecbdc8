import type { Histogram } from './histogram';
import { ksStatistic, psi } from './statistics';

export interface DriftThresholds {
  /** PSI above this is drift (0.2: the customary "significant shift"). */
  psi: number;
  /** Binned KS statistic above this is drift. */
  ks: number;
}

/** One column's drift between its reference (training) histogram and the batch's. */
export interface FeatureDrift {
  column: string;
  psi: number;
  ks: number;
  drifted: boolean;
  /** Which thresholds were exceeded, e.g. ["psi 0.84 > 0.2"]. */
  reasons: string[];
  reference: Histogram;
  current: Histogram;
}

export function compareHistograms(
  reference: Histogram,
  current: Histogram,
  t: DriftThresholds,
): FeatureDrift {
  const p = psi(reference, current);
  const k = ksStatistic(reference, current);
  const reasons: string[] = [];
  if (p > t.psi) reasons.push(`psi ${p.toFixed(4)} > ${t.psi}`);
  if (k > t.ks) reasons.push(`ks ${k.toFixed(4)} > ${t.ks}`);
  return { column: current.column, psi: p, ks: k, drifted: reasons.length > 0, reasons, reference, current };
}
