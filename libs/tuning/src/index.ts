export { STUDY_GRID, paramsKey, validateSpace } from './space';
export type { ParamDomain, Params, ParamValue, SearchSpace } from './space';
export { gridCandidates } from './grid';
export { randomCandidates } from './random';
export { SuccessiveHalving } from './halving';
export type { HalvingOptions, Rung } from './halving';
export { TEST_FOLD, assignFolds, hashId, inSample, isTestRow, sampleHash } from './folds';
export { createRng } from './rng';
