import type { ChallengeReport } from '@lakestream/models';
import { normalQuantile, normalUpperTail } from './normal';
import type { PairedErrors } from './paired-errors';

export interface PromotionCriterion {
  /** One-sided confidence of the lower bound (0.95: a 5 % chance of promoting a model that is not better). */
  confidence: number;
  /** Fewer comparable rows than this: no promotion (the normal bound needs many rows). */
  minRows: number;
  /** Relative MSE gain the candidate must also show, e.g. 0.01 for 1 %; 0: any gain beyond noise. */
  minImprovement: number;
}

export const PROMOTION_RULE =
  'paired per-row squared errors on the same labelled rows, d = (production − y)² − (candidate − y)²; ' +
  'promote iff n ≥ minRows, the one-sided lower confidence bound mean(d) − z(confidence)·sd(d)/√n > 0 ' +
  '(equivalently the z-test p-value < 1 − confidence) and (MSE_production − MSE_candidate)/MSE_production ≥ minImprovement';

export type Judgement = Pick<
  ChallengeReport,
  'candidateMse' | 'productionMse' | 'difference' | 'relativeImprovement' | 'decision' | 'reason'
>;

const sci = (x: number) => x.toPrecision(4);
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/**
 * Whether the candidate is better than production beyond noise, from their paired errors on
 * the same rows. Large-sample z bound: with n ≥ 1000 the t quantile differs from the normal
 * one by under 0.2 %, and by the central limit theorem the mean of d is normal whatever the
 * errors' distribution.
 */
export function judgePromotion(s: PairedErrors, c: PromotionCriterion): Judgement {
  const none = { mean: null, sd: null, standardError: null, lowerBound: null, z: null, pValue: null };
  if (s.n < Math.max(2, c.minRows))
    return {
      candidateMse: s.n ? s.sseCandidate / s.n : null,
      productionMse: s.n ? s.sseProduction / s.n : null,
      difference: s.n ? { ...none, mean: s.mean } : none,
      relativeImprovement: null,
      decision: 'kept as candidate',
      reason: `only ${s.n} comparable labelled rows (fewer than minRows ${c.minRows}): no judgement`,
    };
  const candidateMse = s.sseCandidate / s.n;
  const productionMse = s.sseProduction / s.n;
  const sd = Math.sqrt(s.m2 / (s.n - 1));
  const standardError = sd / Math.sqrt(s.n);
  const zq = normalQuantile(c.confidence);
  const lowerBound = s.mean - zq * standardError;
  // Identical errors on every row (sd 0): no noise, the sign of the mean decides.
  const z = standardError > 0 ? s.mean / standardError : s.mean === 0 ? 0 : null;
  const pValue = z === null ? (s.mean > 0 ? 0 : 1) : normalUpperTail(z);
  const relativeImprovement = productionMse > 0 ? (productionMse - candidateMse) / productionMse : 0;
  const figures =
    `candidate MSE ${sci(candidateMse)} vs production ${sci(productionMse)} (${pct(relativeImprovement)} better) on ${s.n} rows; ` +
    `mean gain per row ${sci(s.mean)}, ${c.confidence} lower bound ${sci(lowerBound)}, z ${z === null ? '∞' : z.toFixed(2)}, p ${pValue === 0 ? '< 1e-300' : pValue.toPrecision(3)}`;
  let decision: Judgement['decision'] = 'kept as candidate';
  let reason: string;
  if (!(lowerBound > 0)) reason = `not better beyond noise (lower bound ≤ 0): ${figures}`;
  else if (relativeImprovement < c.minImprovement)
    reason = `better beyond noise but by less than minImprovement ${pct(c.minImprovement)}: ${figures}`;
  else {
    decision = 'promoted';
    reason = `better beyond noise: ${figures}`;
  }
  return {
    candidateMse,
    productionMse,
    difference: { mean: s.mean, sd, standardError, lowerBound, z, pValue },
    relativeImprovement,
    decision,
    reason,
  };
}
