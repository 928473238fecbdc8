import type { FlatForest } from './flat-forest';
import type { FeatureMatrix } from './matrix';

const BATCH = 512;

/**
 * Mean of the trees' leaf values for every row (nRows × nOutputs, row-major). Rows are copied in
 * batches into a row-major buffer, then each tree is walked for the whole batch so its nodes stay
 * in cache. Trees are summed in order from 0, then divided by the tree count.
 */
export function predictFlat(forest: FlatForest, x: FeatureMatrix, out?: Float64Array): Float64Array {
  const { nFeatures: nF, nOutputs: nO, nTrees, roots, feature, threshold, left, right, value } = forest;
  const nRows = x.nRows;
  const result = out ?? new Float64Array(nRows * nO);
  const xb = new Float64Array(BATCH * nF);
  const acc = new Float64Array(BATCH * nO);
  for (let r0 = 0; r0 < nRows; r0 += BATCH) {
    const nb = Math.min(BATCH, nRows - r0);
    for (let f = 0; f < nF; f++) {
      const col = x.columns[f];
      for (let r = 0; r < nb; r++) xb[r * nF + f] = col[r0 + r];
    }
    acc.fill(0);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t];
      if (nO === 1) {
        for (let r = 0; r < nb; r++) {
          let node = root;
          const o = r * nF;
          while (left[node] >= 0) node = xb[o + feature[node]] <= threshold[node] ? left[node] : right[node];
          acc[r] += value[node];
        }
      } else {
        for (let r = 0; r < nb; r++) {
          let node = root;
          const o = r * nF;
          while (left[node] >= 0) node = xb[o + feature[node]] <= threshold[node] ? left[node] : right[node];
          for (let c = 0; c < nO; c++) acc[r * nO + c] += value[node * nO + c];
        }
      }
    }
    for (let i = 0; i < nb * nO; i++) result[r0 * nO + i] = acc[i] / nTrees;
  }
  return result;
}
