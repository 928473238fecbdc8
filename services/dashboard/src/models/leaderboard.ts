import type { TrialScore } from '@lakestream/models';

export interface RankedTrial extends TrialScore {
  /** 1 = best: highest rung first (successive halving), then lowest CV MSE; failed trials last. */
  rank: number;
}

/** The trials of a model version as a leaderboard (the same order as `lake train --wait`). */
export function leaderboard(trials: readonly TrialScore[]): RankedTrial[] {
  return [...trials]
    .sort(
      (a, b) =>
        b.rung - a.rung ||
        (a.cvMse ?? Number.POSITIVE_INFINITY) - (b.cvMse ?? Number.POSITIVE_INFINITY) ||
        a.trial.localeCompare(b.trial),
    )
    .map((t, i) => ({ ...t, rank: i + 1 }));
}

/** Ages the prediction curve is drawn over (the generators' range). */
export const CURVE_AGES = Array.from({ length: 63 }, (_, i) => 18 + i);

/** The feature columns of one curve: every age, with is_active fixed when the model uses it. */
export function curveColumns(features: readonly string[], isActive: 0 | 1 | null): number[][] | undefined {
  if (!features.includes('age') || !features.every((f) => f === 'age' || f === 'is_active')) return undefined;
  return features.map((f) => (f === 'age' ? CURVE_AGES : CURVE_AGES.map(() => isActive ?? 0)));
}
