export { ModelRegistry, PRODUCTION, CANDIDATE } from './registry';
export type { AliasFile, LoadedModel, VersionSummary } from './registry';
export { MODEL_FILES } from './metadata';
export type { ModelVersionMetadata, TrialScore } from './metadata';
export { parseModelRef, formatModelRef } from './model-ref';
export type { ModelRef } from './model-ref';
export { ModelRegistryError, ModelNotFoundError } from './errors';
export { publishFittedModel } from './publish-fitted';
export type { FittedModel } from './publish-fitted';
