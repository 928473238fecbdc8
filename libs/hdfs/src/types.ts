import type { RetryOptions } from '@lakestream/core';

export interface HdfsClientOptions {
  /** NameNode HTTP address, e.g. http://127.0.0.1:9870 (WebHDFS is served below /webhdfs/v1). */
  namenodeUrl: string;
  /** The user operations run as (`user.name`; simple authentication). */
  user: string;
  /** Every path must lie below this folder. Default '/lake'. */
  lakeRoot?: string;
  /** Backoff for retriable failures (connection errors, 5xx, safe mode). */
  retry?: RetryOptions;
  /** Socket idle timeout of each request. Default 60 s. */
  timeoutMs?: number;
  /** Keep-alive sockets per host. Default 16. */
  maxSockets?: number;
}

export type FileType = 'FILE' | 'DIRECTORY' | 'SYMLINK';

export interface FileStatus {
  /** Absolute HDFS path. */
  path: string;
  name: string;
  type: FileType;
  length: number;
  /** Milliseconds since the epoch. */
  modificationTime: number;
  accessTime: number;
  blockSize: number;
  replication: number;
  owner: string;
  group: string;
  /** Octal permission string, e.g. '644'. */
  permission: string;
  /** Entries of a directory (0 for files). */
  childrenNum: number;
}

export interface ContentSummary {
  directoryCount: number;
  fileCount: number;
  length: number;
  /** Namespace quota (files + directories), -1 when none. */
  quota: number;
  spaceConsumed: number;
  /** Space quota in bytes (counting replicas), -1 when none. */
  spaceQuota: number;
}

/** GETFILECHECKSUM's answer, e.g. algorithm 'MD5-of-0MD5-of-512CRC32C'. */
export interface FileChecksum {
  algorithm: string;
  /** Hex of the checksum bytes as HDFS gives them. */
  bytes: string;
  length: number;
}

/** Bytes to write: replayable (buffers, strings) or a one-shot stream of chunks (a Readable qualifies). */
export type WriteData = Uint8Array | string | AsyncIterable<Uint8Array>;

/** How a file is created (WebHDFS CREATE parameters). */
export interface FileOptions {
  /** Block size in bytes (at least the NameNode's minimum, 1 MiB by default); the cluster default otherwise. */
  blockSize?: number;
  replication?: number;
  /** Octal, e.g. '644'. */
  permission?: string;
}

export interface CreateOptions extends FileOptions {
  /** Replace an existing file. Default false: an existing file throws HdfsAlreadyExistsError. */
  overwrite?: boolean;
}

export interface WriteResult {
  path: string;
  bytes: number;
}

export interface AtomicWriteResult extends WriteResult {
  /** `<algorithm>:<hex>` of the final file, comparable with `checksumString(await getFileChecksum(path))`. */
  checksum: string;
}

export interface RangeOptions {
  offset?: number;
  /** Bytes to read; to the end of the file when absent. */
  length?: number;
}

/** An atomic write fed chunk by chunk; nothing is visible at `path` until `close` resolves. */
export interface AtomicWriter {
  readonly path: string;
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the input and resolves once the file is in place (the ByteSink contract). */
  close(): Promise<void>;
  /** What the write produced; call after (or instead of awaiting) close. */
  result(): Promise<AtomicWriteResult>;
  abort(reason?: unknown): Promise<void>;
}
