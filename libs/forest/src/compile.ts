import { type FlatForest, validateFlatForest } from './flat-forest';
import type { FeatureMatrix } from './matrix';
import { predictFlat } from './predict';

export type Predictor = (x: FeatureMatrix) => Float64Array;

/** The fastest predictor for a forest; for now the batched flat-array walk. */
export function compilePredictor(flat: FlatForest): Predictor {
  validateFlatForest(flat);
  return (x) => predictFlat(flat, x);
}
