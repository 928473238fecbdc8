import { randomUUID } from 'node:crypto';
import { InvalidInputError, type RetryOptions, retry } from '@lakestream/core';
import {
  HdfsAlreadyExistsError,
  HdfsError,
  HdfsNotFoundError,
  HdfsPathError,
  HdfsRenameError,
} from './errors';
import { ChunkQueue } from './chunk-queue';
import { basename, normaliseRoot, parent, resolveLakePath } from './paths';
import { HdfsReadStream } from './read-stream';
import { HdfsSource } from './source';
import { holdStaging } from './staging-sweep';
import { batchOf, checksumOf, checksumString, statusesOf, statusOf, summaryOf } from './status';
import type {
  AtomicWriter,
  AtomicWriteResult,
  ContentSummary,
  CreateOptions,
  FileOptions,
  FileChecksum,
  FileStatus,
  HdfsClientOptions,
  RangeOptions,
  WriteData,
  WriteResult,
} from './types';
import { WebHdfs } from './webhdfs';

const DEFAULT_RETRY: RetryOptions = { retries: 5, initialDelayMs: 200, maxDelayMs: 5000 };
const MAX_READ = 1 << 30;

/**
 * HDFS over WebHDFS, confined to one lake root. Streams reads and writes, reads byte ranges,
 * checks the answer of every rename/delete/mkdirs, writes atomically through `<root>/_tmp`,
 * retries connection errors, 5xx and safe mode with backoff, and throws typed errors.
 */
export class HdfsClient {
  readonly lakeRoot: string;
  private readonly web: WebHdfs;
  private readonly retryOptions: RetryOptions;

  constructor(options: HdfsClientOptions) {
    this.lakeRoot = normaliseRoot(options.lakeRoot ?? '/lake');
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
    this.web = new WebHdfs(
      options.namenodeUrl,
      options.user,
      this.retryOptions,
      options.timeoutMs ?? 60_000,
      options.maxSockets ?? 16,
    );
  }

  /** The absolute HDFS path of `path` (absolute or relative to the lake root); throws HdfsPathError outside the root. */
  resolve(path: string): string {
    return resolveLakePath(this.lakeRoot, path);
  }

  async stat(path: string): Promise<FileStatus> {
    const p = this.resolve(path);
    return statusOf((await this.web.call('GET', p, 'GETFILESTATUS')).json, p);
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.stat(path);
      return true;
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return false;
      throw error;
    }
  }

  /** The entries of a folder (or the file itself when `path` is a file). */
  async list(path: string): Promise<FileStatus[]> {
    const p = this.resolve(path);
    return statusesOf((await this.web.call('GET', p, 'LISTSTATUS')).json, p);
  }

  /** The entries of a big folder, fetched in NameNode-sized batches (LISTSTATUS_BATCH). */
  async *iterate(path: string): AsyncGenerator<FileStatus> {
    const p = this.resolve(path);
    let startAfter: string | undefined;
    for (;;) {
      const { entries, remaining } = batchOf(
        (await this.web.call('GET', p, 'LISTSTATUS_BATCH', { startAfter })).json,
        p,
      );
      yield* entries;
      if (remaining <= 0 || entries.length === 0) return;
      startAfter = entries[entries.length - 1].name;
    }
  }

  /** Creates a folder and its parents; an answer other than `true` is an error. */
  async mkdirs(path: string, options: { permission?: string } = {}): Promise<void> {
    const p = this.resolve(path);
    const { json } = await this.web.call('PUT', p, 'MKDIRS', { permission: options.permission });
    if ((json as { boolean?: boolean })?.boolean !== true) {
      throw new HdfsError(`MKDIRS ${p} answered ${JSON.stringify(json)}`, p);
    }
  }

  /**
   * Deletes a file or folder. Resolves true when something was deleted and false when nothing
   * was there (also when a retried attempt finds its first attempt already did the work).
   * Non-empty folders need `recursive`. The lake root itself is refused.
   */
  async delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    const p = this.resolveBelowRoot(path, 'delete');
    const { json } = await this.web.call('DELETE', p, 'DELETE', { recursive: options.recursive ?? false });
    const answer = (json as { boolean?: boolean })?.boolean;
    if (typeof answer !== 'boolean') throw new HdfsError(`DELETE ${p} answered ${JSON.stringify(json)}`, p);
    return answer;
  }

  /**
   * Renames `source` to `destination` (HDFS semantics: onto a missing path, or into an existing
   * folder). A `{"boolean": false}` answer throws HdfsRenameError naming both paths and the
   * likely reason. If a retried attempt answers false because the first attempt had already
   * moved the file (source gone, destination there), the rename counts as done.
   */
  async rename(source: string, destination: string): Promise<void> {
    const src = this.resolveBelowRoot(source, 'rename');
    const dst = this.resolveBelowRoot(destination, 'rename onto');
    const { json, attempt } = await this.web.call('PUT', src, 'RENAME', { destination: dst });
    const answer = (json as { boolean?: boolean })?.boolean;
    if (answer === true) return;
    const [srcThere, dstThere, dstParentThere] = await Promise.all([
      this.exists(src),
      this.exists(dst),
      this.exists(parent(dst)),
    ]);
    if (attempt > 1 && !srcThere && dstThere) return;
    const reason = !srcThere
      ? 'the source does not exist'
      : dstThere
        ? 'the destination already exists'
        : !dstParentThere
          ? "the destination's parent folder does not exist"
          : `the NameNode answered ${JSON.stringify(json)}`;
    throw new HdfsRenameError(src, dst, reason);
  }

  /**
   * Renames without ever replacing or moving into a folder (WebHDFS renameoptions=NONE):
   * an existing destination throws HdfsAlreadyExistsError, a missing source HdfsNotFoundError.
   */
  async renameNoReplace(source: string, destination: string): Promise<void> {
    const src = this.resolveBelowRoot(source, 'rename');
    const dst = this.resolveBelowRoot(destination, 'rename onto');
    const tries = { attempt: 0 };
    try {
      await this.web.call('PUT', src, 'RENAME', { destination: dst, renameoptions: 'NONE' }, tries);
    } catch (error) {
      // A retried rename whose first attempt went through finds the source gone and the destination there.
      if (
        tries.attempt > 1 &&
        error instanceof HdfsNotFoundError &&
        !(await this.exists(src)) &&
        (await this.exists(dst))
      ) {
        return;
      }
      // HDFS refuses a file onto an existing folder with a plain IOException: still "it exists".
      if (
        error instanceof HdfsError &&
        error.constructor === HdfsError &&
        !error.retriable &&
        (await this.exists(dst))
      ) {
        throw new HdfsAlreadyExistsError(`rename ${src} -> ${dst}: the destination already exists`, dst, {
          status: error.status,
          remoteException: error.remoteException,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** A stream of the file's bytes, or of `[offset, offset+length)`; resumes after a broken connection. */
  createReadStream(path: string, options: RangeOptions = {}): HdfsReadStream {
    const p = this.resolve(path);
    const { offset, length } = checkRange(p, options);
    return new HdfsReadStream((o, l) => this.web.open(p, o, l), p, offset, length, this.retryOptions);
  }

  /** Reads `[offset, offset+length)` into one buffer (fewer bytes when the file ends first). */
  async read(path: string, options: RangeOptions & { length: number }): Promise<Uint8Array> {
    const p = this.resolve(path);
    const { offset, length } = checkRange(p, options);
    if (length === undefined || length > MAX_READ) {
      throw new InvalidInputError(
        `read ${p}: length ${length} must be given and at most ${MAX_READ}; stream bigger ranges`,
        'length',
      );
    }
    if (length === 0) return new Uint8Array(0);
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    for await (const chunk of this.createReadStream(p, { offset, length }) as AsyncIterable<Buffer>) {
      chunk.copy(out, filled);
      filled += chunk.length;
    }
    return filled === length ? out : out.subarray(0, filled);
  }

  /** A whole small file; refuses files over `maxBytes` (default 64 MiB) — stream those. */
  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    const max = options.maxBytes ?? 64 << 20;
    const st = await this.stat(path);
    if (st.type !== 'FILE') throw new HdfsError(`readFile ${st.path}: not a file`, st.path);
    if (st.length > max) {
      throw new HdfsError(
        `readFile ${st.path}: ${st.length} bytes is over the ${max}-byte limit; stream it`,
        st.path,
      );
    }
    return this.read(st.path, { offset: 0, length: st.length });
  }

  /**
   * Writes a file, streaming `data` to the DataNode; resolves once the DataNode confirmed it.
   * Buffers and strings are retried on retriable failures; a stream cannot be replayed, so a
   * failed streamed upload throws (use writeAtomically with a factory to retry streams).
   */
  async writeFile(path: string, data: WriteData, options: CreateOptions = {}): Promise<WriteResult> {
    const p = this.resolveBelowRoot(path, 'write');
    return { path: p, bytes: await this.upload(p, data, options) };
  }

  /**
   * Creates `path` only if nothing is there: of concurrent writers exactly one succeeds, the
   * others get HdfsAlreadyExistsError. The bytes are staged and then renamed without
   * replacing (the NameNode decides the race under its lock), so unlike CREATE with
   * overwrite=false no reader ever sees the winner's file half-written.
   */
  async createExclusive(path: string, data: Uint8Array | string): Promise<WriteResult> {
    const target = this.resolveBelowRoot(path, 'create');
    const { bytes } = await this.placeAtomically(target, data, {}, false);
    return { path: target, bytes };
  }

  /**
   * Writes `finalPath` so that it appears whole or not at all: stages the bytes at
   * `<root>/_tmp/<uuid>/<name>`, takes their checksum, creates the parent, renames into place
   * without replacing, and removes the staging folder whatever happened. An existing final
   * path throws HdfsAlreadyExistsError (callers verify and re-emit). Pass a factory
   * `() => stream` to let a failed streamed upload restart; a plain stream gets one attempt.
   */
  async writeAtomically(
    finalPath: string,
    data: WriteData | (() => WriteData),
    options: FileOptions = {},
  ): Promise<AtomicWriteResult> {
    const target = this.resolveBelowRoot(finalPath, 'write');
    const { bytes, checksum } = await this.placeAtomically(target, data, options, true);
    return { path: target, bytes, checksum: checksum ?? '' };
  }

  /**
   * An atomic write you push bytes into (the ByteSink shape columnar writers use): `write`
   * waits while the upload is behind, `close` finishes (then `result()` tells path, bytes, checksum),
   * `abort` gives up and leaves nothing behind. One attempt (the bytes are not kept).
   */
  openAtomicWriter(finalPath: string, options: FileOptions = {}): AtomicWriter {
    const queue = new ChunkQueue();
    const done = this.writeAtomically(finalPath, queue, options);
    done.catch((error) => queue.fail(error));
    return {
      path: this.resolve(finalPath),
      write: (chunk) => queue.push(chunk),
      close: async () => {
        queue.end();
        await done;
      },
      result: () => done,
      abort: async (reason) => {
        queue.fail(reason ?? new HdfsError(`write of ${finalPath} aborted`, finalPath));
        await done.catch(() => undefined);
      },
    };
  }

  /** HDFS's own checksum (MD5 of per-block MD5s of CRC32C per 512 bytes, by default). */
  async getFileChecksum(path: string): Promise<FileChecksum> {
    const p = this.resolve(path);
    return checksumOf(await this.web.dataNodeJson(p, 'GETFILECHECKSUM'));
  }

  /**
   * Whether the file at `path` is the one a descriptor describes (its size and/or checksum), for
   * redelivered messages that find their output already in place.
   */
  async verify(
    path: string,
    expected: { bytes?: number; checksum?: string },
  ): Promise<{ matches: boolean; bytes: number; checksum?: string }> {
    const st = await this.stat(path);
    if (st.type !== 'FILE') return { matches: false, bytes: st.length };
    if (expected.bytes !== undefined && expected.bytes !== st.length)
      return { matches: false, bytes: st.length };
    if (expected.checksum === undefined) return { matches: true, bytes: st.length };
    const checksum = checksumString(await this.getFileChecksum(st.path));
    return { matches: checksum === expected.checksum, bytes: st.length, checksum };
  }

  async contentSummary(path: string): Promise<ContentSummary> {
    const p = this.resolve(path);
    return summaryOf((await this.web.call('GET', p, 'GETCONTENTSUMMARY')).json);
  }

  /** Sets (or with -1 clears) a folder's namespace and/or space quota (WebHDFS SETQUOTA, Hadoop 3.4+). */
  async setQuota(path: string, quota: { namespace?: number; space?: number }): Promise<void> {
    const p = this.resolveBelowRoot(path, 'set a quota on');
    await this.web.call('PUT', p, 'SETQUOTA', {
      namespacequota: quota.namespace,
      storagespacequota: quota.space,
    });
  }

  /** Sets a file's or folder's modification and/or access time (ms since the epoch; WebHDFS SETTIMES). */
  async setTimes(path: string, times: { modificationTime?: number; accessTime?: number }): Promise<void> {
    const p = this.resolveBelowRoot(path, 'set the times of');
    await this.web.call('PUT', p, 'SETTIMES', {
      modificationtime: times.modificationTime,
      accesstime: times.accessTime,
    });
  }

  /** A random-access view of one file for columnar readers (`size()`, `read(offset, length)`), with counters. */
  source(path: string): HdfsSource {
    const p = this.resolve(path);
    return new HdfsSource(this, p);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.web.transport.close();
  }

  private resolveBelowRoot(path: string, what: string): string {
    const p = this.resolve(path);
    if (p === this.lakeRoot) throw new HdfsPathError(`refusing to ${what} the lake root ${p}`, p);
    return p;
  }

  private async placeAtomically(
    target: string,
    data: WriteData | (() => WriteData),
    options: FileOptions,
    withChecksum: boolean,
  ): Promise<{ bytes: number; checksum?: string }> {
    if (await this.exists(target)) throw new HdfsAlreadyExistsError(`${target} already exists`, target);
    const staging = `${this.lakeRoot}/_tmp/${randomUUID()}`;
    const staged = `${staging}/${basename(target)}`;
    const create = { ...options, overwrite: true };
    const release = holdStaging(staging);
    try {
      const bytes =
        typeof data === 'function'
          ? await retry(() => this.upload(staged, data(), create), this.retryOptions)
          : await this.upload(staged, data, create);
      // Renaming keeps the blocks, so the staged file's checksum is the final file's.
      const checksum = withChecksum ? checksumString(await this.getFileChecksum(staged)) : undefined;
      await this.mkdirs(parent(target));
      await this.renameNoReplace(staged, target);
      return { bytes, checksum };
    } finally {
      await this.delete(staging, { recursive: true }).catch(() => false);
      release();
    }
  }

  private async upload(path: string, data: WriteData, options: CreateOptions): Promise<number> {
    if (typeof data === 'string') data = Buffer.from(data);
    if (data instanceof Uint8Array) {
      const bytes = data;
      return retry(() => this.web.create(path, bytes, options), this.retryOptions);
    }
    return this.web.create(path, data, options);
  }
}

function checkRange(path: string, options: RangeOptions): { offset: number; length: number | undefined } {
  const offset = options.offset ?? 0;
  const length = options.length;
  if (
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    (length !== undefined && (!Number.isSafeInteger(length) || length < 0))
  ) {
    throw new InvalidInputError(`bad range offset=${offset} length=${length} for ${path}`, 'offset');
  }
  return { offset, length };
}
