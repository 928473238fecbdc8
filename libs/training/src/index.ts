export { TrainingCoordinator, meanScores, trialScores } from './coordinator';
export type { CoordinatorOptions } from './coordinator';
export { trialHandler } from './trial-worker';
export type { TrialWorkerOptions } from './trial-worker';
export { JobStore } from './job-store';
export type { JobOutcome, StoredPlan } from './job-store';
export {
  planJob,
  isValidJobId,
  firstRung,
  nextRung,
  rungTrials,
  trialId,
  candidateOf,
  DEFAULT_RANDOM_TRIALS,
  HALVING_ETA,
} from './plan';
export type { JobPlan, RungPlan } from './plan';
export { normaliseSpace, forestParams, sklearnParams } from './params';
export { loadTrainingData, cleanFiles, foldsOf, selectRows, takeRows } from './data';
export type { TrainingData, DataRequest } from './data';
export { TrainingDataCache } from './data-cache';
export type { JobData } from './data-cache';
export { prepareData, trialRows, subsetMse, predictDistinct } from './prepared';
export type { PreparedData, TrialRows } from './prepared';
export { keyPartition, spreadTrialKeys } from './trial-keys';
export { runTrial, refitAndTest, trainingScaler, noSignalWarning } from './trial';
export type { TrialOutcome, RefitOutcome } from './trial';
export { knownNoiseVariance } from './noise';
export { PipelineLog } from './pipeline-log';
export { TrainingError, TrainingJobError } from './errors';
