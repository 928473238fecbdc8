import {
  type BinnedDataset,
  binDataset,
  groupValues,
  mse,
  type RandomForestRegressor,
  StandardScaler,
} from '@lakestream/forest';
import { sampleHash, TEST_FOLD } from '@lakestream/tuning';
import type { TrainingData } from './data';

/**
 * A job's training split as the trials use it: scaled (the scaler is fitted on the whole split,
 * as the study fits StandardScaler on X_train) and binned once, so every trial and the refit
 * fit on row subsets of one table instead of copying, scaling and binning rows per trial.
 */
export interface PreparedData {
  /** Rows of the training split. */
  nTrain: number;
  binned: BinnedDataset;
  /** Target of the training rows, in shared memory (the forest's threads read it as is). */
  y: Float64Array;
  /** CV fold of each training row. */
  fold: Uint8Array;
  /** Halving sample hash of each training row (tuning's sampleHash). */
  sample: Uint32Array;
  scaler: StandardScaler;
  /** Each group's scaled feature values when rows are grouped (binning exact): prediction per group. */
  groupX?: Float64Array[];
  /** The scaled training features when they are not grouped (prediction per row). */
  x?: Float64Array[];
  /** The scaled test split, when asked for (the refit's evaluation). */
  test?: { x: Float64Array[]; y: Float64Array };
}

const UNIT = 1 / 4294967296;

export function prepareData(
  data: TrainingData,
  folds: Uint8Array,
  seed: number,
  o: { keepTest?: boolean } = {},
): PreparedData {
  let nTrain = 0;
  for (let i = 0; i < data.nRows; i++) if (folds[i] !== TEST_FOLD) nTrain++;
  const nTest = data.nRows - nTrain;
  const xTrain = data.x.map(() => new Float64Array(nTrain));
  const xTest = o.keepTest ? data.x.map(() => new Float64Array(nTest)) : [];
  const y = new Float64Array(new SharedArrayBuffer(nTrain * 8));
  const yTest = new Float64Array(o.keepTest ? nTest : 0);
  const fold = new Uint8Array(nTrain);
  const sample = new Uint32Array(nTrain);
  for (let i = 0, t = 0, e = 0; i < data.nRows; i++) {
    if (folds[i] === TEST_FOLD) {
      if (o.keepTest) {
        for (let f = 0; f < xTest.length; f++) xTest[f]![e] = data.x[f][i]!;
        yTest[e++] = data.y[i]!;
      }
      continue;
    }
    for (let f = 0; f < xTrain.length; f++) xTrain[f]![t] = data.x[f][i]!;
    y[t] = data.y[i]!;
    fold[t] = folds[i]!;
    sample[t] = sampleHash(data.ids[i]!, seed);
    t++;
  }
  const scaler = StandardScaler.fit({ nRows: nTrain, columns: xTrain });
  const scaled = scaler.transform({ nRows: nTrain, columns: xTrain }).columns as Float64Array[];
  const binned = binDataset({ nRows: nTrain, columns: scaled });
  const groupX = groupValues(binned);
  return {
    nTrain,
    binned,
    y,
    fold,
    sample,
    scaler,
    ...(groupX ? { groupX } : { x: scaled }),
    ...(o.keepTest
      ? {
          test: {
            x: scaler.transform({ nRows: nTest, columns: xTest }).columns as Float64Array[],
            y: yTest,
          },
        }
      : {}),
  };
}

/** The training and validation rows of one trial: fold `fold` held out, on a `fraction` sample. */
export interface TrialRows {
  train: Uint32Array;
  valid: Uint32Array;
}

export function trialRows(p: PreparedData, fold: number, fraction: number): TrialRows {
  const limit = fraction >= 1 ? Number.POSITIVE_INFINITY : fraction / UNIT;
  let nTrain = 0;
  let nValid = 0;
  for (let r = 0; r < p.nTrain; r++)
    if (p.sample[r]! < limit) {
      if (p.fold[r] === fold) nValid++;
      else nTrain++;
    }
  // shared, so the forest's threads read the subset without a copy each
  const train = new Uint32Array(new SharedArrayBuffer(nTrain * 4));
  const valid = new Uint32Array(nValid);
  for (let r = 0, t = 0, v = 0; r < p.nTrain; r++)
    if (p.sample[r]! < limit) {
      if (p.fold[r] === fold) valid[v++] = r;
      else train[t++] = r;
    }
  return { train, valid };
}

/** MSE of the model on training rows `rows` (a held-out fold): one prediction per group when grouped. */
export function subsetMse(p: PreparedData, model: RandomForestRegressor, rows: Uint32Array): number {
  if (rows.length === 0) return Number.NaN;
  let sum = 0;
  if (p.groupX) {
    const predicted = model.predict({ nRows: p.groupX[0]!.length, columns: p.groupX });
    const groupOf = p.binned.groups!.groupOf;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      const d = p.y[r]! - predicted[groupOf[r]]!;
      sum += d * d;
    }
    return sum / rows.length;
  }
  const x = p.x!.map((col) => Float64Array.from(rows, (r) => col[r]!));
  const y = Float64Array.from(rows, (r) => p.y[r]!);
  return mse(y, model.predict({ nRows: rows.length, columns: x }));
}

/**
 * Predictions of many rows with few distinct feature vectors (the study's age: 63): each distinct
 * vector is predicted once. Exact: equal inputs give equal predictions.
 */
export function predictDistinct(
  model: RandomForestRegressor,
  x: Float64Array[],
  maxDistinct = 1 << 16,
): Float64Array {
  const n = x[0]?.length ?? 0;
  const index = new Map<string | number, number>();
  const rowOf: number[] = [];
  const slot = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const key = x.length === 1 ? x[0][i]! : x.map((c) => c[i]).join(',');
    let s = index.get(key);
    if (s === undefined) {
      if (rowOf.length >= maxDistinct) return model.predict({ nRows: n, columns: x });
      s = rowOf.length;
      index.set(key, s);
      rowOf.push(i);
    }
    slot[i] = s;
  }
  const distinct = model.predict({
    nRows: rowOf.length,
    columns: x.map((c) => Float64Array.from(rowOf, (r) => c[r]!)),
  });
  return Float64Array.from(slot, (s) => distinct[s]!);
}
