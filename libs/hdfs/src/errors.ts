import { LakeError } from '@lakestream/core';

/** The `RemoteException` object WebHDFS answers with when an operation fails on the server. */
export interface RemoteException {
  exception: string;
  javaClassName?: string;
  message: string;
}

export interface HdfsErrorOptions {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  remoteException?: RemoteException;
  retriable?: boolean;
  cause?: unknown;
}

/** Any failure of an HDFS operation; `path` is the HDFS path it was about. */
export class HdfsError extends LakeError {
  readonly status?: number;
  readonly remoteException?: RemoteException;

  constructor(
    message: string,
    readonly path: string,
    options: HdfsErrorOptions = {},
  ) {
    super(message, { retriable: options.retriable ?? false, cause: options.cause });
    if (options.status !== undefined) this.status = options.status;
    if (options.remoteException !== undefined) this.remoteException = options.remoteException;
  }
}

export class HdfsNotFoundError extends HdfsError {}

export class HdfsAlreadyExistsError extends HdfsError {}

/** The NameNode is in safe mode (or asked to be retried): waiting helps. */
export class HdfsSafeModeError extends HdfsError {
  constructor(message: string, path: string, options: HdfsErrorOptions = {}) {
    super(message, path, { ...options, retriable: options.retriable ?? true });
  }
}

export class HdfsAccessError extends HdfsError {}

export type QuotaKind = 'namespace' | 'space' | 'storage type';

/** A directory quota stops the operation; not retriable (waiting does not free space). */
export class HdfsQuotaExceededError extends HdfsError {
  constructor(
    message: string,
    path: string,
    readonly quota: QuotaKind,
    options: HdfsErrorOptions = {},
  ) {
    super(message, path, options);
  }
}

/** A rename answered `{"boolean": false}`: nothing moved. `reason` is what stat-ing both paths suggests. */
export class HdfsRenameError extends HdfsError {
  constructor(
    readonly source: string,
    readonly destination: string,
    readonly reason: string,
    options: HdfsErrorOptions = {},
  ) {
    super(`rename ${source} -> ${destination} failed: ${reason}`, source, options);
  }
}

/** The NameNode or a DataNode could not be reached, reset the connection or timed out. Retriable. */
export class HdfsConnectionError extends HdfsError {
  constructor(
    message: string,
    path: string,
    readonly code?: string,
    options: HdfsErrorOptions = {},
  ) {
    super(message, path, { ...options, retriable: options.retriable ?? true });
  }
}

/** A path that may not be used: outside the lake root, or with characters we refuse. */
export class HdfsPathError extends HdfsError {}
