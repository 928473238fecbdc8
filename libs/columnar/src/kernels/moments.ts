/**
 * Count, nulls, min, max, mean and M2 (sum of squared deviations) of a column: a partial that
 * merges exactly (Chan, Golub & LeVeque), so partitions can be summarised apart and combined.
 */
export interface Moments {
  count: number;
  nulls: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
}

export function emptyMoments(): Moments {
  return { count: 0, nulls: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, mean: 0, m2: 0 };
}

/** Moments of `values`; rows with `valid[i] === 0` or NaN count as nulls. Welford's update. */
export function columnMoments(values: Float64Array, valid?: Uint8Array | null): Moments {
  if (valid && valid.length < values.length) throw new RangeError('valid is shorter than values');
  let count = 0;
  let nulls = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if ((valid && valid[i] === 0) || Number.isNaN(x)) {
      nulls++;
      continue;
    }
    count++;
    const delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { count, nulls, min, max, mean, m2 };
}

/** The moments of the union of the two sets a and b summarise. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const count = a.count + b.count;
  const nulls = a.nulls + b.nulls;
  if (a.count === 0) return { ...b, nulls };
  if (b.count === 0) return { ...a, nulls };
  const delta = b.mean - a.mean;
  return {
    count,
    nulls,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
  };
}

/** Variance from moments: ddof 0 for the population (default), 1 for the sample. NaN if undefined. */
export function variance(m: Moments, ddof = 0): number {
  return m.count - ddof > 0 ? m.m2 / (m.count - ddof) : Number.NaN;
}
