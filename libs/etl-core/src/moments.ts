/** Mergeable summary of a numeric column (Chan et al.): merging two equals summarising both. */
export interface ColumnStats {
  column: string;
  count: number;
  nulls: number;
  min: number;
  max: number;
  mean: number;
  /** Sum of squared deviations from the mean; variance = m2 / count (population). */
  m2: number;
}

export const emptyStats = (column: string): ColumnStats => ({
  column,
  count: 0,
  nulls: 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
  mean: 0,
  m2: 0,
});

export function mergeStats(a: ColumnStats, b: ColumnStats): ColumnStats {
  const count = a.count + b.count;
  // An empty side adds only its nulls: its min and max (±Infinity) read back from a partial's
  // JSON as null, which Math.min would take for 0.
  if (b.count === 0) return { ...a, nulls: a.nulls + b.nulls };
  if (a.count === 0) return { ...b, column: a.column, nulls: a.nulls + b.nulls };
  const delta = b.mean - a.mean;
  return {
    column: a.column,
    count,
    nulls: a.nulls + b.nulls,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
  };
}

/** Stats of `values` at positions `rows` (Welford in one pass). */
export function statsAt(
  column: string,
  values: ArrayLike<number>,
  rows: Uint32Array,
  nulls = 0,
): ColumnStats {
  let mean = 0;
  let m2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < rows.length; k++) {
    const x = values[rows[k]]!;
    const d = x - mean;
    mean += d / (k + 1);
    m2 += d * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { column, count: rows.length, nulls, min, max, mean, m2 };
}

export const variance = (s: ColumnStats): number => (s.count > 0 ? s.m2 / s.count : Number.NaN);
