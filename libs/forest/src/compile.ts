import { type FlatForest, validateFlatForest } from './flat-forest';
import type { FeatureMatrix } from './matrix';
import { predictBatched, predictLayout } from './predict';

export type Predictor = (x: FeatureMatrix) => Float64Array;

/** Validates a forest and prepares its fastest predictor (the branch-free batched walk). */
export function compilePredictor(flat: FlatForest): Predictor {
  validateFlatForest(flat);
  const layout = predictLayout(flat);
  return (x) => predictBatched(layout, x);
}
