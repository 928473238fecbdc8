import { availableParallelism } from 'node:os';
import type { BootstrapMethod } from './bootstrap';
import { ForestInputError } from './errors';
import type { TreeParams } from './tree-builder';

/** scikit-learn's max_features. A number in (0, 1] is a fraction (so 1 and 1.0 mean all features, like
 *  scikit-learn's regressor default 1.0); an integer > 1 is a count; `{ count: 1 }` asks for one feature. */
export type MaxFeatures = 'sqrt' | 'log2' | number | { count: number } | null;

/** scikit-learn's RandomForest parameters, camel-cased, with the same meanings and defaults. */
export interface ForestParams {
  nEstimators?: number;
  /** null = grow until leaves are pure or too small. */
  maxDepth?: number | null;
  /** An integer ≥ 2, or a fraction in (0, 1) of the training rows (rounded up). */
  minSamplesSplit?: number;
  /** An integer ≥ 1, or a fraction in (0, 1) of the training rows (rounded up). */
  minSamplesLeaf?: number;
  maxFeatures?: MaxFeatures;
  bootstrap?: boolean;
  /** Rows drawn per tree when bootstrapping: a fraction in (0, 1] or an integer > 1; null = nRows. */
  maxSamples?: number | null;
  /**
   * How bootstrap rows are drawn: 'multinomial' (default, scikit-learn's: nDraws rows with
   * replacement) or 'poisson' (Spark MLlib's: each row Poisson(nDraws / nRows) times; a tree over
   * grouped rows then costs one streaming pass over the rows).
   */
  bootstrapMethod?: BootstrapMethod;
  /**
   * With the Poisson bootstrap over grouped rows (few distinct feature rows, e.g. one integer
   * feature): groups of at least this many rows draw their bootstrap sums from their normal limit
   * in O(1) instead of row by row (see group-bootstrap.ts); null (default) draws every row.
   */
  poissonNormalMinRows?: number | null;
  /** Seed; the same seed gives the same forest for any nJobs. null = random. */
  randomState?: number | null;
  /** Worker threads for fit (default: os.availableParallelism()). */
  nJobs?: number;
}

export type ResolvedParams = Required<Omit<ForestParams, 'randomState'>> & { randomState: number | null };

export function resolveParams(p: ForestParams, defaultMaxFeatures: MaxFeatures): ResolvedParams {
  const r: ResolvedParams = {
    nEstimators: p.nEstimators ?? 100,
    maxDepth: p.maxDepth ?? null,
    minSamplesSplit: p.minSamplesSplit ?? 2,
    minSamplesLeaf: p.minSamplesLeaf ?? 1,
    maxFeatures: p.maxFeatures === undefined ? defaultMaxFeatures : p.maxFeatures,
    bootstrap: p.bootstrap ?? true,
    bootstrapMethod: p.bootstrapMethod ?? 'multinomial',
    poissonNormalMinRows: p.poissonNormalMinRows ?? null,
    maxSamples: p.maxSamples ?? null,
    randomState: p.randomState ?? null,
    nJobs: p.nJobs ?? availableParallelism(),
  };
  const int = (v: number, min: number, name: string) => {
    if (!Number.isInteger(v) || v < min)
      throw new ForestInputError(`${name} must be an integer ≥ ${min}, got ${v}`, name);
  };
  int(r.nEstimators, 1, 'nEstimators');
  if (r.maxDepth !== null) int(r.maxDepth, 1, 'maxDepth');
  if (
    !(
      r.minSamplesSplit > 0 &&
      (r.minSamplesSplit < 1 || (Number.isInteger(r.minSamplesSplit) && r.minSamplesSplit >= 2))
    )
  ) {
    throw new ForestInputError(
      `minSamplesSplit must be an integer ≥ 2 or a fraction in (0, 1), got ${r.minSamplesSplit}`,
      'minSamplesSplit',
    );
  }
  if (!(r.minSamplesLeaf > 0 && (r.minSamplesLeaf < 1 || Number.isInteger(r.minSamplesLeaf)))) {
    throw new ForestInputError(
      `minSamplesLeaf must be an integer ≥ 1 or a fraction in (0, 1), got ${r.minSamplesLeaf}`,
      'minSamplesLeaf',
    );
  }
  if (
    r.randomState !== null &&
    !(Number.isInteger(r.randomState) && r.randomState >= 0 && r.randomState < 2 ** 32)
  ) {
    throw new ForestInputError(
      `randomState must be an integer in [0, 2^32), got ${r.randomState}`,
      'randomState',
    );
  }
  int(r.nJobs, 1, 'nJobs');
  if (r.bootstrapMethod !== 'multinomial' && r.bootstrapMethod !== 'poisson')
    throw new ForestInputError(
      `bootstrapMethod must be 'multinomial' or 'poisson', got ${JSON.stringify(r.bootstrapMethod)}`,
      'bootstrapMethod',
    );
  if (r.poissonNormalMinRows !== null) {
    int(r.poissonNormalMinRows, 1, 'poissonNormalMinRows');
    if (r.bootstrapMethod !== 'poisson')
      throw new ForestInputError(
        "poissonNormalMinRows needs bootstrapMethod: 'poisson' (it draws the Poisson bootstrap's group sums)",
        'poissonNormalMinRows',
      );
  }
  if (r.maxSamples !== null && !r.bootstrap) {
    throw new ForestInputError('maxSamples needs bootstrap: true (as in scikit-learn)', 'maxSamples');
  }
  return r;
}

/** The integer parameters one tree is built with, given the training size. */
export function treeParams(r: ResolvedParams, nRows: number, nFeatures: number): TreeParams {
  const minLeaf = r.minSamplesLeaf < 1 ? Math.ceil(r.minSamplesLeaf * nRows) : r.minSamplesLeaf;
  const minSplitRaw =
    r.minSamplesSplit < 1 ? Math.max(2, Math.ceil(r.minSamplesSplit * nRows)) : r.minSamplesSplit;
  return {
    maxDepth: r.maxDepth ?? -1,
    minSamplesSplit: Math.max(minSplitRaw, 2 * minLeaf),
    minSamplesLeaf: Math.max(1, minLeaf),
    maxFeatures: resolveMaxFeatures(r.maxFeatures, nFeatures),
    bootstrap: r.bootstrap,
    nDraws: resolveDraws(r.maxSamples, nRows),
    bootstrapMethod: r.bootstrapMethod,
    poissonNormalMinRows: r.poissonNormalMinRows,
  };
}

function resolveMaxFeatures(m: MaxFeatures, n: number): number {
  let k: number;
  if (m === null) k = n;
  else if (m === 'sqrt') k = Math.max(1, Math.floor(Math.sqrt(n)));
  else if (m === 'log2') k = Math.max(1, Math.floor(Math.log2(n)));
  else if (typeof m === 'object') k = m.count;
  else if (m > 0 && m <= 1) k = Math.max(1, Math.floor(m * n));
  else k = m;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new ForestInputError(
      `maxFeatures ${JSON.stringify(m)} selects ${k} of ${n} features`,
      'maxFeatures',
    );
  }
  return k;
}

function resolveDraws(m: number | null, n: number): number {
  if (m === null) return n;
  const k = m > 0 && m <= 1 ? Math.max(1, Math.round(m * n)) : m;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new ForestInputError(`maxSamples ${m} selects ${k} of ${n} rows`, 'maxSamples');
  }
  return k;
}
