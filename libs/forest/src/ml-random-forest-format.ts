import { ForestFormatError, ForestInputError } from './errors';
import { type FlatForest, validateFlatForest } from './flat-forest';
import { nextDown, nextUp } from './float-step';

/**
 * ml-random-forest's (v2) JSON for RandomForestRegression: what `toJSON()` produces and
 * `RandomForestRegression.load()` reads. Trees are ml-cart DecisionTreeRegression nodes; a row goes
 * left when x[indexes[t][splitColumn]] < splitValue, and the forest averages tree predictions.
 */
export interface MlRandomForestJson {
  name: 'RFRegression';
  selectionMethod: 'mean' | 'median';
  baseModel: {
    indexes: number[][];
    n: number;
    replacement: boolean;
    maxFeatures: number;
    nEstimators: number;
    treeOptions: Record<string, unknown>;
    isClassifier: boolean;
    seed: number;
    estimators: { name: 'DTRegression'; options: Record<string, unknown>; root: MlNode }[];
    useSampleBagging: boolean;
  };
}

export type MlNode = {
  distribution?: number;
  splitValue?: number;
  splitColumn?: number;
  gain?: number;
  numberSamples?: number;
  left?: MlNode;
  right?: MlNode;
  [option: string]: unknown;
};

const TREE_OPTIONS = { gainFunction: 'regression', splitFunction: 'mean', minNumSamples: 3, maxDepth: null };

/** Our regression forest as ml-random-forest JSON; x ≤ t becomes x < nextUp(t), so predictions are identical. */
export function exportMlRandomForest(f: FlatForest): MlRandomForestJson {
  if (f.nOutputs !== 1)
    throw new ForestInputError('ml-random-forest export supports regression forests only');
  const nodeOptions = { kind: 'regression', ...TREE_OPTIONS, gainThreshold: 0 };
  const all = Array.from({ length: f.nFeatures }, (_, i) => i);
  const estimators = [];
  for (let t = 0; t < f.nTrees; t++) {
    const nodes: MlNode[] = [];
    for (let i = f.roots[t + 1] - 1; i >= f.roots[t]; i--) {
      const k = i - f.roots[t];
      if (f.feature[i] < 0) {
        nodes[k] = { ...nodeOptions, distribution: f.value[i] };
      } else {
        const l = f.left[i];
        const r = f.right[i];
        nodes[k] = {
          ...nodeOptions,
          splitValue: nextUp(f.threshold[i]),
          splitColumn: f.feature[i],
          gain: f.weightedNSamples[l] * f.impurity[l] + f.weightedNSamples[r] * f.impurity[r],
          numberSamples: f.nSamples[i],
          left: nodes[l - f.roots[t]],
          right: nodes[r - f.roots[t]],
        };
      }
    }
    estimators.push({
      name: 'DTRegression' as const,
      options: { kind: 'regression', ...TREE_OPTIONS },
      root: nodes[0],
    });
  }
  return {
    name: 'RFRegression',
    selectionMethod: 'mean',
    baseModel: {
      indexes: Array.from({ length: f.nTrees }, () => all.slice()),
      n: f.nFeatures,
      replacement: false,
      maxFeatures: 1.0,
      nEstimators: f.nTrees,
      treeOptions: { ...TREE_OPTIONS },
      isClassifier: false,
      seed: 42,
      estimators,
      useSampleBagging: true,
    },
  };
}

/**
 * Reads ml-random-forest regression JSON (parsed) into flat arrays, checking every field it uses.
 * `nFeatures` defaults to the largest feature index used + 1.
 */
export function importMlRandomForest(json: unknown, options: { nFeatures?: number } = {}): FlatForest {
  const bad = (what: string): never => {
    throw new ForestFormatError(`not an ml-random-forest regression model: ${what}`);
  };
  const m = json as Partial<MlRandomForestJson>;
  if (typeof m !== 'object' || m === null) bad('not an object');
  if (m.name !== 'RFRegression') bad(`name is ${JSON.stringify(m.name)}, expected "RFRegression"`);
  if (m.selectionMethod !== 'mean')
    bad(`selectionMethod ${JSON.stringify(m.selectionMethod)} (only "mean" is supported)`);
  const base = m.baseModel;
  if (typeof base !== 'object' || base === null) bad('baseModel missing');
  if (base!.isClassifier) bad('isClassifier is true');
  const { estimators, indexes } = base!;
  if (!Array.isArray(estimators) || estimators.length === 0) bad('no estimators');
  if (!Array.isArray(indexes) || indexes.length !== estimators.length) bad('indexes do not match estimators');
  let maxFeature = -1;
  for (const ix of indexes) {
    if (!Array.isArray(ix) || ix.length === 0) bad('empty feature index list');
    for (const v of ix) {
      if (!Number.isInteger(v) || v < 0 || v > 1e6) bad(`feature index ${v}`);
      maxFeature = Math.max(maxFeature, v);
    }
  }
  const nFeatures = options.nFeatures ?? maxFeature + 1;
  if (maxFeature >= nFeatures) bad(`feature index ${maxFeature} with nFeatures ${nFeatures}`);

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const nSamples: number[] = [];
  const roots = [0];
  estimators.forEach((est, t) => {
    if (est?.name !== 'DTRegression' || typeof est.root !== 'object' || est.root === null)
      bad(`estimator ${t}`);
    const ix = indexes[t];
    // preorder with an explicit stack: children get larger indices than their parent
    const stack: { node: MlNode; parent: number; side: 0 | 1 }[] = [{ node: est.root, parent: -1, side: 0 }];
    while (stack.length > 0) {
      const { node, parent, side } = stack.pop()!;
      if (typeof node !== 'object' || node === null) bad(`estimator ${t} has a missing node`);
      const id = feature.length;
      if (parent >= 0) (side === 0 ? left : right)[parent] = id;
      left.push(-1);
      right.push(-1);
      threshold.push(0);
      nSamples.push(typeof node.numberSamples === 'number' ? node.numberSamples : 0);
      if (node.distribution !== undefined) {
        if (typeof node.distribution !== 'number' || !Number.isFinite(node.distribution)) {
          bad(`estimator ${t} leaf value ${JSON.stringify(node.distribution)}`);
        }
        feature.push(-1);
        value.push(node.distribution);
        continue;
      }
      const col = node.splitColumn;
      const split = node.splitValue;
      if (!Number.isInteger(col) || col! < 0 || col! >= ix.length) bad(`estimator ${t} splitColumn ${col}`);
      if (typeof split !== 'number' || !Number.isFinite(split)) bad(`estimator ${t} splitValue ${split}`);
      feature.push(ix[col!]);
      threshold[id] = nextDown(split!);
      value.push(0);
      stack.push({ node: node.right as MlNode, parent: id, side: 1 });
      stack.push({ node: node.left as MlNode, parent: id, side: 0 });
    }
    roots.push(feature.length);
  });
  const n = feature.length;
  const flat: FlatForest = {
    nTrees: estimators.length,
    nFeatures,
    nOutputs: 1,
    roots: Int32Array.from(roots),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    nSamples: Int32Array.from(nSamples),
    weightedNSamples: new Float64Array(n),
    impurity: new Float64Array(n),
  };
  validateFlatForest(flat);
  return flat;
}
