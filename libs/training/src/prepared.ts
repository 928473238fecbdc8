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

/**
 * Lets the thread's event loop run between the phases of a long preparation: a trial worker
 * prepares 30M rows inside a Kafka handler, and its heartbeats must keep going meanwhile.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Values of `col` at `rows`, into a new array (in shared memory when asked). */
function gather(col: Float64Array, rows: Uint32Array, shared = false): Float64Array {
  const out = shared
    ? new Float64Array(new SharedArrayBuffer(rows.length * 8))
    : new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]]!;
  return out;
}

export async function prepareData(
  data: TrainingData,
  folds: Uint8Array,
  seed: number,
  o: { keepTest?: boolean } = {},
): Promise<PreparedData> {
  // one pass per column over an index of the split's rows: plain monomorphic loops
  let nTrain = 0;
  for (let i = 0; i < data.nRows; i++) if (folds[i] !== TEST_FOLD) nTrain++;
  const trainRows = new Uint32Array(nTrain);
  const testRows = new Uint32Array(o.keepTest ? data.nRows - nTrain : 0);
  for (let i = 0, t = 0, e = 0; i < data.nRows; i++) {
    if (folds[i] !== TEST_FOLD) trainRows[t++] = i;
    else if (o.keepTest) testRows[e++] = i;
  }
  const y = gather(data.y, trainRows, true);
  const fold = new Uint8Array(nTrain);
  const sample = new Uint32Array(nTrain);
  for (let t = 0; t < nTrain; t++) {
    const i = trainRows[t]!;
    fold[t] = folds[i]!;
    sample[t] = sampleHash(data.ids[i]!, seed);
  }
  await breathe();
  const xTrain = data.x.map((col) => gather(col, trainRows));
  await breathe();
  const scaler = StandardScaler.fit({ nRows: nTrain, columns: xTrain });
  const scaled = scaler.transform({ nRows: nTrain, columns: xTrain }).columns as Float64Array[];
  await breathe();
  const binned = binDataset({ nRows: nTrain, columns: scaled });
  await breathe();
  const groupX = groupValues(binned);
  const test = o.keepTest
    ? {
        x: scaler.transform({ nRows: testRows.length, columns: data.x.map((col) => gather(col, testRows)) })
          .columns as Float64Array[],
        y: gather(data.y, testRows),
      }
    : undefined;
  return {
    nTrain,
    binned,
    y,
    fold,
    sample,
    scaler,
    ...(groupX ? { groupX } : { x: scaled }),
    ...(test ? { test } : {}),
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
