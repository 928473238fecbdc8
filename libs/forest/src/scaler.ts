import { ForestInputError } from './errors';
import type { FeatureMatrix } from './matrix';

/** Count, mean and M2 (Σ(x − mean)²) of a column: mergeable without the rows. */
export interface Moments {
  count: number;
  mean: number;
  m2: number;
}

/** Raw power sums, as an ETL partial may carry them. */
export interface PowerSums {
  count: number;
  sum: number;
  sumSq: number;
}

/** Moments of a column (Welford). */
export function moments(values: ArrayLike<number>): Moments {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    mean += d / (i + 1);
    m2 += d * (values[i] - mean);
  }
  return { count: values.length, mean, m2 };
}

/** Chan et al.'s parallel combination of two partials' moments. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
  };
}

function toMoments(s: Moments | PowerSums): Moments {
  if ('m2' in s) return s;
  const mean = s.count > 0 ? s.sum / s.count : 0;
  return { count: s.count, mean, m2: Math.max(0, s.sumSq - s.count * mean * mean) };
}

/**
 * scikit-learn's StandardScaler: (x − mean) / std with the population std (ddof = 0) and scale 1
 * for a constant column. Fitted from rows or straight from per-partition moments.
 */
export class StandardScaler {
  private constructor(
    readonly mean: Float64Array,
    readonly scale: Float64Array,
    readonly count: number,
  ) {}

  static fromStats(stats: readonly (Moments | PowerSums)[]): StandardScaler {
    if (stats.length === 0) throw new ForestInputError('a scaler needs at least one column');
    const m = stats.map(toMoments);
    m.forEach((s, i) => {
      if (!(s.count > 0) || !Number.isFinite(s.mean) || !Number.isFinite(s.m2)) {
        throw new ForestInputError(
          `column ${i}: statistics of ${s.count} rows cannot fit a scaler`,
          `stats[${i}]`,
        );
      }
    });
    const mean = Float64Array.from(m, (s) => s.mean);
    const scale = Float64Array.from(m, (s) => {
      const sd = Math.sqrt(s.m2 / s.count);
      return sd > 10 * Number.EPSILON * Math.max(1, Math.abs(s.mean)) ? sd : 1;
    });
    return new StandardScaler(mean, scale, m[0].count);
  }

  static fit(x: FeatureMatrix): StandardScaler {
    if (x.nRows === 0) throw new ForestInputError('cannot fit a scaler on 0 rows', 'X');
    return StandardScaler.fromStats(x.columns.map(moments));
  }

  transform(x: FeatureMatrix): FeatureMatrix {
    if (x.columns.length !== this.mean.length) {
      throw new ForestInputError(`X has ${x.columns.length} columns, the scaler ${this.mean.length}`, 'X');
    }
    const columns = x.columns.map((col, f) => {
      const out = new Float64Array(x.nRows);
      const m = this.mean[f];
      const s = this.scale[f];
      for (let i = 0; i < out.length; i++) out[i] = (col[i] - m) / s;
      return out;
    });
    return { nRows: x.nRows, columns };
  }

  inverseTransform(x: FeatureMatrix): FeatureMatrix {
    const columns = x.columns.map((col, f) =>
      Float64Array.from(col, (v) => v * this.scale[f] + this.mean[f]),
    );
    return { nRows: x.nRows, columns };
  }

  toJSON(): { mean: number[]; scale: number[]; count: number } {
    return { mean: Array.from(this.mean), scale: Array.from(this.scale), count: this.count };
  }

  static fromJSON(json: unknown): StandardScaler {
    const j = json as { mean?: unknown; scale?: unknown; count?: unknown };
    const nums = (v: unknown, name: string): Float64Array => {
      if (
        !Array.isArray(v) ||
        v.length === 0 ||
        !v.every((n) => typeof n === 'number' && Number.isFinite(n))
      ) {
        throw new ForestInputError(`scaler JSON: ${name} must be a non-empty array of finite numbers`, name);
      }
      return Float64Array.from(v as number[]);
    };
    const mean = nums(j?.mean, 'mean');
    const scale = nums(j?.scale, 'scale');
    if (scale.length !== mean.length || scale.some((s) => s <= 0)) {
      throw new ForestInputError('scaler JSON: scale must match mean and be positive', 'scale');
    }
    return new StandardScaler(mean, scale, typeof j.count === 'number' ? j.count : 0);
  }
}
