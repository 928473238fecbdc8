import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { type RetryOptions, retry, sleep } from '@lakestream/core';
import { HdfsConnectionError } from './errors';

/** Opens the bytes `[offset, offset + length)` (to the end when `length` is undefined). */
export type RangeOpener = (offset: number, length: number | undefined) => Promise<IncomingMessage>;

/**
 * A byte stream of one HDFS file range. Chunks flow with back-pressure from the DataNode's
 * answer; if the connection breaks midway, the stream reopens at the first byte it has not
 * delivered yet (up to `retry.retries` times), so a DataNode hiccup costs a request, not the
 * read. Errors arrive as the stream's 'error' and never after 'end'.
 */
export class HdfsReadStream extends Readable {
  private position: number;
  private remaining: number | undefined;
  private response: IncomingMessage | undefined;
  private opening = false;
  private resumes = 0;
  /** Bytes delivered so far. */
  bytesRead = 0;
  /** HTTP range requests made (1 unless the stream had to resume). */
  requests = 0;

  constructor(
    private readonly open: RangeOpener,
    readonly path: string,
    offset: number,
    length: number | undefined,
    private readonly retryOptions: RetryOptions,
    highWaterMark = 1 << 20,
  ) {
    super({ highWaterMark });
    this.position = offset;
    this.remaining = length;
  }

  override _read(): void {
    if (this.response) this.response.resume();
    else if (!this.opening) void this.start();
  }

  private async start(): Promise<void> {
    if (this.remaining === 0) {
      this.push(null);
      return;
    }
    this.opening = true;
    let res: IncomingMessage;
    try {
      res = await retry(() => {
        this.requests++;
        return this.open(this.position, this.remaining);
      }, this.retryOptions);
    } catch (error) {
      this.opening = false;
      this.destroy(error as Error);
      return;
    }
    this.opening = false;
    if (this.destroyed) {
      res.destroy();
      return;
    }
    this.response = res;
    // The DataNode declares how many bytes this answer holds (short of `length` at the end of
    // the file): from then on the range is known, so a resume never asks past the end.
    const declared = Number(res.headers['content-length']);
    if (res.headers['content-length'] !== undefined && Number.isSafeInteger(declared)) {
      this.remaining = this.remaining === undefined ? declared : Math.min(this.remaining, declared);
    }
    res.on('data', (chunk: Buffer) => {
      this.resumes = 0; // progress: the retry budget is for consecutive failures
      this.position += chunk.length;
      this.bytesRead += chunk.length;
      if (this.remaining !== undefined) this.remaining -= chunk.length;
      if (!this.push(chunk)) res.pause();
    });
    res.once('end', () => {
      this.response = undefined;
      this.push(null);
    });
    res.once('error', (error) => void this.broken(res, error));
  }

  /** The answer broke midway: reopen where we are, or fail the stream when retries are spent. */
  private async broken(res: IncomingMessage, error: Error): Promise<void> {
    res.removeAllListeners('data');
    res.removeAllListeners('end');
    this.response = undefined;
    if (this.destroyed) return;
    const budget = this.retryOptions.retries ?? 5;
    if (++this.resumes >= budget) {
      this.destroy(
        new HdfsConnectionError(
          `reading ${this.path} broke at byte ${this.position} after ${this.resumes} attempts: ${error.message}`,
          this.path,
          (error as NodeJS.ErrnoException).code,
          { cause: error },
        ),
      );
      return;
    }
    await sleep(
      Math.min(
        this.retryOptions.maxDelayMs ?? 5000,
        (this.retryOptions.initialDelayMs ?? 200) * this.resumes,
      ),
    );
    if (!this.destroyed) void this.start();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.response?.destroy();
    this.response = undefined;
    callback(error);
  }
}
