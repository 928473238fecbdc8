import { InvalidInputError } from '@lakestream/core';

export type ParamValue = number | string | boolean | null;
export type Params = Record<string, ParamValue>;

/** One hyperparameter's domain: a list to choose from, or a numeric range. */
export type ParamDomain =
  | ParamValue[]
  | { type: 'int'; low: number; high: number; log?: boolean }
  | { type: 'float'; low: number; high: number; log?: boolean };

export type SearchSpace = Record<string, ParamDomain>;

/** The study's grid: n_estimators [50,100] × max_depth [10, None] × min_samples_split [2,5]. */
export const STUDY_GRID: SearchSpace = {
  nEstimators: [50, 100],
  maxDepth: [10, null],
  minSamplesSplit: [2, 5],
};

/** Checks a space read from a file or a request, naming the parameter and what is wrong. */
export function validateSpace(space: unknown): SearchSpace {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    throw new InvalidInputError(
      'search space: expected an object of parameter → list or {type, low, high}',
      'space',
    );
  }
  const entries = Object.entries(space as Record<string, unknown>);
  if (entries.length === 0) throw new InvalidInputError('search space: no parameters', 'space');
  for (const [name, domain] of entries) {
    if (Array.isArray(domain)) {
      if (domain.length === 0) throw new InvalidInputError(`search space ${name}: empty list`, name);
      for (const v of domain) {
        if (
          !(v === null || ['number', 'string', 'boolean'].includes(typeof v)) ||
          (typeof v === 'number' && !Number.isFinite(v))
        ) {
          throw new InvalidInputError(
            `search space ${name}: value ${JSON.stringify(v)} is not a finite number, string, boolean or null`,
            name,
          );
        }
      }
      continue;
    }
    const d = domain as { type?: unknown; low?: unknown; high?: unknown; log?: unknown };
    if (
      (d?.type !== 'int' && d?.type !== 'float') ||
      typeof d.low !== 'number' ||
      typeof d.high !== 'number' ||
      !(d.low <= d.high)
    ) {
      throw new InvalidInputError(
        `search space ${name}: expected a list or {"type":"int"|"float","low":a,"high":b} with a ≤ b, got ${JSON.stringify(domain)}`,
        name,
      );
    }
    if (d.log && d.low <= 0)
      throw new InvalidInputError(`search space ${name}: a log scale needs low > 0`, name);
  }
  return space as SearchSpace;
}

/** A stable text for a parameter set: equal params give equal keys whatever the key order. */
export function paramsKey(params: Params): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}
