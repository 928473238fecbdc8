/**
 * A champion/challenger comparison: the candidate and the production version scored on the
 * same labelled rows, and whether the candidate is better beyond noise. Written once per
 * (candidate, production version, batch) to `v<candidate>/challenges/`.
 */
export interface ChallengeReport {
  model: string;
  candidate: number;
  production: number;
  dataset: string;
  batch: string;
  /** Which rows were compared (all labelled rows, or the held-out split of a model trained on the batch). */
  rows: { compared: number; labelled: number; selection: string };
  candidateMse: number | null;
  productionMse: number | null;
  /** Per-row d = (production error)² − (candidate error)²: positive means the candidate is better. */
  difference: {
    mean: number | null;
    sd: number | null;
    standardError: number | null;
    /** One-sided lower confidence bound of the mean difference. */
    lowerBound: number | null;
    /** z = mean / standard error, and its one-sided p-value P(Z ≥ z). */
    z: number | null;
    pValue: number | null;
  };
  /** (production MSE − candidate MSE) / production MSE. */
  relativeImprovement: number | null;
  criterion: { confidence: number; minRows: number; minImprovement: number; rule: string };
  decision: 'promoted' | 'kept as candidate';
  reason: string;
  /** Time to load both versions and score the batch with each. */
  seconds?: number;
  path: string;
  createdAt: number;
}

/** Why an alias moved, kept in its promotion record. */
export interface PromotionEvidence {
  /** e.g. "first version of the model", "better beyond noise than v3 on employees/b7", "manual". */
  reason: string;
  /** Who moved it: a service worker, `cli@<user>`, the trainer. */
  by: string;
  /** The challenge the promotion rests on, with its figures, when there was one. */
  challenge?: ChallengeReport;
}
