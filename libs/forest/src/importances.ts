import type { FlatForest } from './flat-forest';

/**
 * Impurity-based feature importances as scikit-learn computes them: per tree the weighted
 * impurity decrease of its splits, normalised to sum to 1; then the mean over trees that have a
 * split, normalised again.
 */
export function featureImportances(f: FlatForest): Float64Array {
  const total = new Float64Array(f.nFeatures);
  const perTree = new Float64Array(f.nFeatures);
  let used = 0;
  for (let t = 0; t < f.nTrees; t++) {
    const lo = f.roots[t];
    const hi = f.roots[t + 1];
    if (hi - lo <= 1) continue;
    perTree.fill(0);
    for (let i = lo; i < hi; i++) {
      const feat = f.feature[i];
      if (feat < 0) continue;
      const l = f.left[i];
      const r = f.right[i];
      perTree[feat] +=
        f.weightedNSamples[i] * f.impurity[i] -
        f.weightedNSamples[l] * f.impurity[l] -
        f.weightedNSamples[r] * f.impurity[r];
    }
    let sum = 0;
    for (let k = 0; k < perTree.length; k++) {
      perTree[k] /= f.weightedNSamples[lo];
      sum += perTree[k];
    }
    if (sum > 0) for (let k = 0; k < perTree.length; k++) total[k] += perTree[k] / sum;
    used++;
  }
  if (used === 0) return total;
  let sum = 0;
  for (let k = 0; k < total.length; k++) {
    total[k] /= used;
    sum += total[k];
  }
  if (sum > 0) for (let k = 0; k < total.length; k++) total[k] /= sum;
  return total;
}
