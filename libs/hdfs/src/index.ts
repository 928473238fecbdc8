export { HdfsClient } from './client';
export {
  HdfsAccessError,
  HdfsAlreadyExistsError,
  HdfsConnectionError,
  HdfsError,
  HdfsNotFoundError,
  HdfsPathError,
  HdfsQuotaExceededError,
  HdfsRenameError,
  HdfsSafeModeError,
} from './errors';
export type { HdfsErrorOptions, QuotaKind, RemoteException } from './errors';
export { createIfAbsent, listNames, readJsonFile } from './json-files';
export { isInside, normaliseRoot, resolveLakePath } from './paths';
export { HdfsReadStream } from './read-stream';
export { parseRemoteException, remoteError } from './remote-error';
export { HdfsSource } from './source';
export type { RandomAccessSource } from './source';
export { StagingSweeper, sweepStaging } from './staging-sweep';
export type { StagingSweeperOptions, StagingSweepOptions, StagingSweepResult } from './staging-sweep';
export { checksumString } from './status';
export type {
  AtomicWriter,
  AtomicWriteResult,
  ContentSummary,
  CreateOptions,
  FileOptions,
  FileChecksum,
  FileStatus,
  FileType,
  HdfsClientOptions,
  RangeOptions,
  WriteData,
  WriteResult,
} from './types';
