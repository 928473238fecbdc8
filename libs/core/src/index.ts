export { LakeError, InvalidInputError, isRetriable, errorMessage } from './errors';
export { retry, sleep, RetryBailError } from './retry';
export type { RetryOptions } from './retry';
export { NAME_PATTERN, assertName, isValidName } from './names';
export type { NameKind } from './names';
export { LakePaths } from './lake-paths';
