import {
  HdfsAccessError,
  HdfsAlreadyExistsError,
  HdfsError,
  HdfsNotFoundError,
  HdfsQuotaExceededError,
  HdfsSafeModeError,
  type QuotaKind,
  type RemoteException,
} from './errors';

const QUOTA: Record<string, QuotaKind> = {
  NSQuotaExceededException: 'namespace',
  DSQuotaExceededException: 'space',
  QuotaByStorageTypeExceededException: 'storage type',
  QuotaExceededException: 'space',
};

/** Parses a WebHDFS error body; undefined when it is not a `{RemoteException: …}` object. */
export function parseRemoteException(body: string): RemoteException | undefined {
  try {
    const parsed = JSON.parse(body) as { RemoteException?: Partial<RemoteException> };
    const r = parsed?.RemoteException;
    if (!r || typeof r.exception !== 'string') return undefined;
    return {
      exception: r.exception,
      javaClassName: typeof r.javaClassName === 'string' ? r.javaClassName : undefined,
      message: typeof r.message === 'string' ? r.message : '',
    };
  } catch {
    return undefined;
  }
}

/** The server message without the Java stack trace the DataNode appends. */
const firstLine = (message: string): string => message.split('\n')[0].trim();

/**
 * Turns a failed WebHDFS answer into a typed error naming the operation and path.
 * 5xx answers and safe mode are retriable; other 4xx answers are not.
 */
export function remoteError(op: string, path: string, status: number, body: string): HdfsError {
  const remote = parseRemoteException(body);
  if (!remote) {
    const text = body.trim().slice(0, 300);
    return new HdfsError(`${op} ${path}: HTTP ${status}${text ? `: ${text}` : ''}`, path, {
      status,
      retriable: status >= 500 || status === 429,
    });
  }
  const what = `${op} ${path}: ${remote.exception}: ${firstLine(remote.message)}`;
  const options = { status, remoteException: remote };
  const name = remote.exception;
  const quota = QUOTA[name];
  if (quota) {
    return new HdfsQuotaExceededError(
      `${op} ${path}: ${quota} quota exceeded: ${firstLine(remote.message)}`,
      path,
      quota,
      options,
    );
  }
  switch (name) {
    case 'FileNotFoundException':
      return new HdfsNotFoundError(what, path, options);
    case 'FileAlreadyExistsException':
    // Another writer holds the lease of a file being created at that path: it exists for us.
    case 'AlreadyBeingCreatedException':
      return new HdfsAlreadyExistsError(what, path, options);
    case 'SafeModeException':
    case 'RetriableException':
    case 'StandbyException':
      return new HdfsSafeModeError(what, path, options);
    case 'AccessControlException':
    case 'SecurityException':
      return new HdfsAccessError(what, path, options);
    default:
      return new HdfsError(what, path, { ...options, retriable: status >= 500 });
  }
}
