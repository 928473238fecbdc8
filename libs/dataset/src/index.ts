export { NAMES, allocateColumns, columnBuffers } from './columns';
export type { ColumnValidity, PartitionColumns, ProfileName } from './columns';
export { hashId, hashPartition, hashPartitions, hashPartitionsOfRange } from './hash';
export { describedProfile } from './described';
export { clearGeneratorCaches, generatePartition, generatePartitions } from './generate';
export { generateInWorkers } from './workers';
export { GenerationError } from './errors';
export type { WorkerGenerateOptions } from './workers';
export { resolveOptions } from './options';
export type { GenerateOptions, PartitionOptions, ResolvedOptions } from './options';
export { DEFAULT_STUDY_CHUNK_ROWS, STUDY_EPOCH_DAY, generateStudyChunk } from './study';
export type { StudyChunk } from './study';
export { Mt19937, numpyRound, roundHalfEven } from './mt19937';
export {
  STUDY_QUERY1_ROWS,
  STUDY_QUERY2_OLDEST_ROWS,
  STUDY_QUERY2_YOUNGEST_ROWS,
  STUDY_SAMPLE_ROWS,
} from './study-printed';
export type { StudyPrintedRow } from './study-printed';
