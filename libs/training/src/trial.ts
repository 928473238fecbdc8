import type { TrainingJob, TrialSpec } from '@lakestream/contracts';
import { mse, r2, RandomForestRegressor, rmse, StandardScaler } from '@lakestream/forest';
import { inSample, type Params, TEST_FOLD } from '@lakestream/tuning';
import { type TrainingData, selectRows, takeRows } from './data';
import { forestParams } from './params';

export interface TrialOutcome {
  score: number;
  rows: number;
  trainMs: number;
}

/**
 * The scaler of a job: fitted on the whole training split (every fold), as the study fits
 * StandardScaler on X_train before the search; every trial and the refit use it.
 */
export function trainingScaler(data: TrainingData, folds: Uint8Array): StandardScaler {
  const train = takeRows(
    data,
    selectRows(data.nRows, (i) => folds[i] !== TEST_FOLD),
  );
  return StandardScaler.fit({ nRows: train.y.length, columns: train.x });
}

/** Fits one candidate on the training folds but `spec.fold` (on the rung's sample) and scores the held-out fold. */
export async function runTrial(
  data: TrainingData,
  folds: Uint8Array,
  scaler: StandardScaler,
  job: TrainingJob,
  spec: TrialSpec,
  nJobs = 1,
): Promise<TrialOutcome> {
  const fraction = spec.sampleFraction;
  const sampled = (i: number) => fraction >= 1 || inSample(data.ids[i]!, fraction, job.seed);
  const trainRows = selectRows(
    data.nRows,
    (i) => folds[i] !== TEST_FOLD && folds[i] !== spec.fold && sampled(i),
  );
  const validRows = selectRows(data.nRows, (i) => folds[i] === spec.fold && sampled(i));
  const train = takeRows(data, trainRows);
  const valid = takeRows(data, validRows);
  const params = JSON.parse(spec.params) as Params;
  const started = performance.now();
  const model = new RandomForestRegressor(forestParams(params, job.seed, nJobs));
  await model.fit(scaler.transform({ nRows: train.y.length, columns: train.x }), train.y);
  const trainMs = performance.now() - started;
  const predicted = model.predict(scaler.transform({ nRows: valid.y.length, columns: valid.x }));
  return { score: mse(valid.y, predicted), rows: trainRows.length, trainMs };
}

export interface RefitOutcome {
  model: RandomForestRegressor;
  train: { rows: number };
  test: { rows: number; mse: number; rmse: number; r2: number };
  /** MSE of predicting the training mean on the test split. */
  baselineMse: number;
  seconds: number;
}

/** Refits the best candidate on the whole training split and evaluates it on the test split. */
export async function refitAndTest(
  data: TrainingData,
  folds: Uint8Array,
  scaler: StandardScaler,
  job: TrainingJob,
  params: Params,
  nJobs: number,
): Promise<RefitOutcome> {
  const started = performance.now();
  const train = takeRows(
    data,
    selectRows(data.nRows, (i) => folds[i] !== TEST_FOLD),
  );
  const test = takeRows(
    data,
    selectRows(data.nRows, (i) => folds[i] === TEST_FOLD),
  );
  const model = new RandomForestRegressor(forestParams(params, job.seed, nJobs));
  await model.fit(scaler.transform({ nRows: train.y.length, columns: train.x }), train.y);
  const predicted = model.predict(scaler.transform({ nRows: test.y.length, columns: test.x }));
  let mean = 0;
  for (let i = 0; i < train.y.length; i++) mean += train.y[i]!;
  mean /= train.y.length;
  const baseline = new Float64Array(test.y.length).fill(mean);
  return {
    model,
    train: { rows: train.y.length },
    test: {
      rows: test.y.length,
      mse: mse(test.y, predicted),
      rmse: rmse(test.y, predicted),
      r2: r2(test.y, predicted),
    },
    baselineMse: mse(test.y, baseline),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The no-signal judgement: the model does not beat predicting the mean by more than the
 * sampling noise of a test MSE (two standard errors, ≈ 2·√(2/n) relative for Gaussian errors).
 */
export function noSignalWarning(
  testMse: number,
  baselineMse: number,
  testRows: number,
  r2Value: number,
): string | null {
  const margin = 2 * Math.sqrt(2 / Math.max(1, testRows));
  if (baselineMse > 0 && testMse < baselineMse * (1 - margin)) return null;
  return `no signal: the model's test MSE ${testMse.toPrecision(6)} does not beat predicting the mean (${baselineMse.toPrecision(6)}) by more than noise (R² = ${r2Value.toFixed(4)}); the features do not explain the target`;
}
