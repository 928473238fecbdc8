import type { TrainingJob, TrialSpec } from '@lakestream/contracts';
import { mse, r2, RandomForestRegressor, rmse, StandardScaler } from '@lakestream/forest';
import { type Params, TEST_FOLD } from '@lakestream/tuning';
import { type TrainingData, selectRows, takeRows } from './data';
import { forestParams } from './params';
import { type PreparedData, predictDistinct, subsetMse, type TrialRows, trialRows } from './prepared';

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

/**
 * Groups of identical feature rows at least this large draw their Poisson bootstrap sums from the
 * normal limit (libs/forest group-bootstrap.ts): the study's 63 ages on 16M rows cost a tree
 * microseconds instead of a 300 ms pass. The study's own 10,000-row sample stays row by row.
 */
export const GROUP_NORMAL_MIN_ROWS = 5000;

/** The forest of a candidate: Poisson bootstrap, so a tree over grouped rows needs no per-row weights. */
function candidateForest(params: Params, seed: number, nJobs: number): RandomForestRegressor {
  return new RandomForestRegressor({
    ...forestParams(params, seed, nJobs),
    bootstrapMethod: 'poisson',
    poissonNormalMinRows: GROUP_NORMAL_MIN_ROWS,
  });
}

/** Fits one candidate on the training folds but `spec.fold` (on the rung's sample) and scores the held-out fold. */
export async function runTrial(
  data: PreparedData,
  job: TrainingJob,
  spec: TrialSpec,
  nJobs = 1,
  rows: TrialRows = trialRows(data, spec.fold, spec.sampleFraction),
): Promise<TrialOutcome> {
  const params = JSON.parse(spec.params) as Params;
  const started = performance.now();
  const model = candidateForest(params, job.seed, nJobs);
  await model.fitBinned(data.binned, data.y, rows.train);
  const trainMs = performance.now() - started;
  return { score: subsetMse(data, model, rows.valid), rows: rows.train.length, trainMs };
}

export interface RefitOutcome {
  model: RandomForestRegressor;
  train: { rows: number };
  test: { rows: number; mse: number; rmse: number; r2: number };
  /** The refitted model's predictions on the test split (the drift reference of its output). */
  testPredictions: Float64Array;
  /** MSE of predicting the training mean on the test split. */
  baselineMse: number;
  seconds: number;
}

/** Refits the best candidate on the whole training split and evaluates it on the test split. */
export async function refitAndTest(
  data: PreparedData,
  job: TrainingJob,
  params: Params,
  nJobs: number,
): Promise<RefitOutcome> {
  if (!data.test) throw new Error('refitAndTest needs the prepared test split (keepTest)');
  const started = performance.now();
  const model = candidateForest(params, job.seed, nJobs);
  await model.fitBinned(data.binned, data.y);
  const test = data.test;
  const predicted = predictDistinct(model, test.x);
  let mean = 0;
  for (let i = 0; i < data.nTrain; i++) mean += data.y[i]!;
  mean /= data.nTrain;
  const baseline = new Float64Array(test.y.length).fill(mean);
  return {
    model,
    train: { rows: data.nTrain },
    test: {
      rows: test.y.length,
      mse: mse(test.y, predicted),
      rmse: rmse(test.y, predicted),
      r2: r2(test.y, predicted),
    },
    testPredictions: predicted,
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
