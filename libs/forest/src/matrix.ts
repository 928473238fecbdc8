import { ForestInputError } from './errors';

/**
 * The feature input of every model in this package: column-major, one typed array (or plain
 * number array) per feature, all `nRows` long. No per-row objects.
 */
export interface FeatureMatrix {
  readonly nRows: number;
  readonly columns: readonly ArrayLike<number>[];
}

/** Accepts a FeatureMatrix or a bare list of columns and checks its shape. */
export function asFeatureMatrix(x: FeatureMatrix | readonly ArrayLike<number>[]): FeatureMatrix {
  const m: FeatureMatrix = isMatrix(x) ? x : { nRows: x.length > 0 ? x[0].length : 0, columns: x };
  if (!Number.isInteger(m.nRows) || m.nRows < 0)
    throw new ForestInputError(`nRows must be a non-negative integer`);
  m.columns.forEach((col, f) => {
    if (col.length !== m.nRows) {
      throw new ForestInputError(
        `feature ${f} has ${col.length} values, expected nRows = ${m.nRows}`,
        `X[${f}]`,
      );
    }
  });
  return m;
}

function isMatrix(x: FeatureMatrix | readonly ArrayLike<number>[]): x is FeatureMatrix {
  return !Array.isArray(x) && typeof (x as FeatureMatrix).nRows === 'number';
}

/** Throws a clear error at the first NaN or ±Infinity in a feature column. */
export function assertFiniteColumns(m: FeatureMatrix): void {
  for (let f = 0; f < m.columns.length; f++) assertFinite(m.columns[f], `X[${f}]`, `feature ${f}`);
}

export function assertFinite(values: ArrayLike<number>, field: string, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      const kind = Number.isNaN(v) ? 'NaN' : 'infinity';
      throw new ForestInputError(
        `${what} contains ${kind} at row ${i}: fill or drop it before training`,
        field,
      );
    }
  }
}
