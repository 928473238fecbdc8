import { InvalidInputError } from '@lakestream/core';
import type { ForestParams } from '@lakestream/forest';
import type { Params, SearchSpace } from '@lakestream/tuning';

/** scikit-learn's names → ours, so a --space file may use either. */
const ALIASES: Record<string, keyof ForestParams> = {
  n_estimators: 'nEstimators',
  max_depth: 'maxDepth',
  min_samples_split: 'minSamplesSplit',
  min_samples_leaf: 'minSamplesLeaf',
  max_features: 'maxFeatures',
  bootstrap: 'bootstrap',
  max_samples: 'maxSamples',
};

const KNOWN = new Set<string>([
  'nEstimators',
  'maxDepth',
  'minSamplesSplit',
  'minSamplesLeaf',
  'maxFeatures',
  'bootstrap',
  'maxSamples',
]);

/** A space with scikit-learn or camel-case names, keys normalised to camel case; unknown names refused. */
export function normaliseSpace(space: SearchSpace): SearchSpace {
  const out: SearchSpace = {};
  for (const [name, domain] of Object.entries(space)) {
    const key = ALIASES[name] ?? name;
    if (!KNOWN.has(key))
      throw new InvalidInputError(
        `search space: unknown parameter ${name} (known: ${[...KNOWN].join(', ')} or their scikit-learn names)`,
        name,
      );
    out[key] = domain;
  }
  return out;
}

/** The forest parameters of one candidate, with the job's seed and the thread budget. */
export function forestParams(params: Params, seed: number, nJobs: number): ForestParams {
  return { ...(params as ForestParams), randomState: seed >>> 0, nJobs };
}

/** scikit-learn's spelling of a candidate, for logs and metadata (`max_depth: None`). */
export function sklearnParams(params: Params): Record<string, unknown> {
  const reverse = Object.fromEntries(Object.entries(ALIASES).map(([k, v]) => [v, k]));
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [reverse[k] ?? k, v]));
}
