import type { ModelMetadata } from '@lakestream/forest';

/** One trial's cross-validation outcome, as metadata.json lists it. */
export interface TrialScore {
  trial: string;
  params: Record<string, unknown>;
  rung: number;
  /** Mean validation MSE over the folds; null when a fold failed. */
  cvMse: number | null;
  foldMse: (number | null)[];
  rows: number;
  trainMs: number;
}

/** metadata.json of a model version: everything needed to judge and reproduce it. */
export interface ModelVersionMetadata {
  name: string;
  version: number;
  job: string;
  dataset: string;
  features: string[];
  target: string;
  search: string;
  space: Record<string, unknown>;
  cvFolds: number;
  testFraction: number;
  seed: number;
  bestParams: Record<string, unknown>;
  bestCvMse: number;
  trials: TrialScore[];
  test: { rows: number; mse: number; rmse: number; r2: number };
  train: { rows: number };
  /** Var(target | features) when the data generator knows it, else null. */
  noiseVariance: number | null;
  /** Set when the model does not beat predicting the training mean by more than noise. */
  noSignal: { warning: string; r2: number } | null;
  lineage: { batches: string[]; files: { path: string; checksum: string; rows: number }[] };
  codeVersion: string;
  timings: { searchSeconds: number; refitSeconds: number; totalSeconds: number };
  forest: ModelMetadata;
  /**
   * The model's output on data like its training data, for drift checks: a fixed-bin histogram
   * of its predictions on the test split (drift.bins.prediction). Absent for older versions.
   */
  reference?: { prediction: { column: string; edges: number[]; counts: number[] }; rows: number };
  createdAt: number;
}

/** Files of a model version directory. */
export const MODEL_FILES = {
  model: 'model.lkrf',
  forestJson: 'model.json',
  scaler: 'scaler.json',
  metadata: 'metadata.json',
  log: 'ml_pipeline.log',
} as const;
