import { type BinnedDataset, binDataset } from './binning';
import { ForestInputError, NotFittedError } from './errors';
import { type FlatForest, flatten } from './flat-forest';
import { featureImportances } from './importances';
import { type FeatureMatrix, asFeatureMatrix, assertFinite, assertFiniteColumns } from './matrix';
import {
  type ForestParams,
  type MaxFeatures,
  type ResolvedParams,
  resolveParams,
  treeParams,
} from './params';
import { buildTrees } from './pool';
import { type Predictor, compilePredictor } from './compile';
import { randomSeed } from './rng';
import type { Target } from './tree-builder';

type Input = FeatureMatrix | readonly ArrayLike<number>[];

/** What both forests share: parameters, fitting over binned data, the fitted flat arrays. */
abstract class ForestBase {
  readonly params: ResolvedParams;
  protected flat?: FlatForest;
  private predictor?: Predictor;

  constructor(params: ForestParams, defaultMaxFeatures: MaxFeatures) {
    this.params = resolveParams(params, defaultMaxFeatures);
  }

  /** The fitted trees as flat arrays (for serialisation and export). */
  get forest(): FlatForest {
    if (!this.flat) throw new NotFittedError(this.constructor.name);
    return this.flat;
  }

  get nFeatures(): number {
    return this.forest.nFeatures;
  }

  /** Impurity-based importances, normalised to sum to 1 (scikit-learn's feature_importances_). */
  featureImportances(): Float64Array {
    return featureImportances(this.forest);
  }

  protected async fitTarget(x: FeatureMatrix, target: Target, nOutputs: number): Promise<void> {
    await this.fitBinnedTarget(binDataset(x), target, nOutputs);
  }

  protected async fitBinnedTarget(
    data: BinnedDataset,
    target: Target,
    nOutputs: number,
    rows?: Uint32Array,
  ): Promise<void> {
    const p = this.params;
    const seed = p.randomState ?? randomSeed();
    const tp = treeParams(p, rows ? rows.length : data.nRows, data.nFeatures);
    const trees = await buildTrees(data, target, tp, seed, p.nEstimators, p.nJobs, rows);
    this.setForest(flatten(trees, data.nFeatures, nOutputs));
  }

  protected setForest(flat: FlatForest): void {
    this.flat = flat;
    this.predictor = compilePredictor(flat);
  }

  protected rawPredict(input: Input): Float64Array {
    const f = this.forest;
    const x = asFeatureMatrix(input);
    if (x.columns.length !== f.nFeatures) {
      throw new ForestInputError(
        `X has ${x.columns.length} features, the forest was fitted on ${f.nFeatures}`,
        'X',
      );
    }
    assertFiniteColumns(x);
    return this.predictor!(x);
  }
}

function checkTrainingInput(input: Input, y: ArrayLike<number>): FeatureMatrix {
  const x = asFeatureMatrix(input);
  if (x.nRows === 0) throw new ForestInputError('cannot fit on empty input (0 rows)', 'X');
  if (x.columns.length === 0) throw new ForestInputError('cannot fit without features (0 columns)', 'X');
  if (y.length !== x.nRows)
    throw new ForestInputError(`y has ${y.length} values, X has ${x.nRows} rows`, 'y');
  assertFiniteColumns(x);
  assertFinite(y, 'y', 'target y');
  return x;
}

/** scikit-learn's RandomForestRegressor over histogram-binned features (MSE criterion). */
export class RandomForestRegressor extends ForestBase {
  constructor(params: ForestParams = {}) {
    super(params, 1.0);
  }

  async fit(x: Input, y: ArrayLike<number>): Promise<this> {
    const m = checkTrainingInput(x, y);
    await this.fitTarget(m, { kind: 'regression', y: Float64Array.from(y) }, 1);
    return this;
  }

  /**
   * Fits on data binned once (binDataset) and reused across fits, on every row or on `rows` only
   * (ascending row indices into the binned data): cross-validation folds and samples of one
   * binned table, without binning each of them again.
   */
  async fitBinned(data: BinnedDataset, y: Float64Array, rows?: Uint32Array): Promise<this> {
    if (y.length !== data.nRows)
      throw new ForestInputError(`y has ${y.length} values, the binned data has ${data.nRows} rows`, 'y');
    const m = rows ? rows.length : data.nRows;
    if (m === 0) throw new ForestInputError('cannot fit on empty input (0 rows)', 'rows');
    if (rows)
      for (let j = 0; j < m; j++)
        if (rows[j] >= data.nRows || (j > 0 && rows[j] <= rows[j - 1]))
          throw new ForestInputError(
            `rows must be ascending row indices below ${data.nRows}; rows[${j}] = ${rows[j]}`,
            'rows',
          );
    assertFinite(y, 'y', 'target y');
    await this.fitBinnedTarget(data, { kind: 'regression', y }, 1, rows);
    return this;
  }

  predict(x: Input): Float64Array {
    return this.rawPredict(x);
  }

  /** A regressor around already-fitted trees (from a model file or ml-random-forest). */
  static fromForest(flat: FlatForest, params: ForestParams = {}): RandomForestRegressor {
    if (flat.nOutputs !== 1)
      throw new ForestInputError(`a regressor has 1 output, this forest has ${flat.nOutputs}`);
    const rf = new RandomForestRegressor({ ...params, nEstimators: flat.nTrees });
    rf.setForest(flat);
    return rf;
  }
}

/** scikit-learn's RandomForestClassifier (Gini criterion, mean of class probabilities). */
export class RandomForestClassifier extends ForestBase {
  private labels?: Float64Array;

  constructor(params: ForestParams = {}) {
    super(params, 'sqrt');
  }

  /** The class labels, sorted ascending (scikit-learn's classes_). */
  get classes(): Float64Array {
    if (!this.labels) throw new NotFittedError('RandomForestClassifier');
    return this.labels;
  }

  async fit(x: Input, y: ArrayLike<number>): Promise<this> {
    const m = checkTrainingInput(x, y);
    const labels = Float64Array.from(new Set(Array.from(y))).sort();
    if (labels.length > 65536)
      throw new ForestInputError(`y has ${labels.length} classes; is it a regression target?`, 'y');
    const index = new Map<number, number>();
    labels.forEach((v, i) => {
      index.set(v, i);
    });
    const cls = new Int32Array(y.length);
    for (let i = 0; i < y.length; i++) cls[i] = index.get(y[i])!;
    this.labels = labels;
    await this.fitTarget(m, { kind: 'classification', cls, nClasses: labels.length }, labels.length);
    return this;
  }

  /** Mean class probabilities over trees, nRows × nClasses row-major. */
  predictProba(x: Input): Float64Array {
    return this.rawPredict(x);
  }

  predict(x: Input): Float64Array {
    const proba = this.predictProba(x);
    const k = this.classes.length;
    const out = new Float64Array(proba.length / k);
    for (let r = 0; r < out.length; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
      out[r] = this.classes[best];
    }
    return out;
  }

  static fromForest(
    flat: FlatForest,
    classes: ArrayLike<number>,
    params: ForestParams = {},
  ): RandomForestClassifier {
    if (flat.nOutputs !== classes.length) {
      throw new ForestInputError(`${classes.length} classes given, the forest has ${flat.nOutputs} outputs`);
    }
    const rf = new RandomForestClassifier({ ...params, nEstimators: flat.nTrees });
    rf.labels = Float64Array.from(classes);
    rf.setForest(flat);
    return rf;
  }
}
