/**
 * A bounded hand-over of chunks from a writer (`push`) to one async-iterating reader:
 * `push` waits while more than `highWaterMark` bytes are queued, so a fast producer runs
 * at the speed of the upload. `fail` ends both sides with an error.
 */
export class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wakeReader: (() => void) | undefined;
  private wakeWriters: (() => void)[] = [];

  constructor(private readonly highWaterMark = 4 << 20) {}

  async push(chunk: Uint8Array): Promise<void> {
    this.throwIfFailed();
    if (this.ended) throw new Error('write after close');
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.queued += chunk.byteLength;
    this.wake();
    while (this.queued > this.highWaterMark && !this.failed()) {
      await new Promise<void>((resolve) => this.wakeWriters.push(resolve));
    }
    this.throwIfFailed();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.wake();
    for (const w of this.wakeWriters.splice(0)) w();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const chunk = this.chunks.shift();
      if (chunk) {
        this.queued -= chunk.byteLength;
        if (this.queued <= this.highWaterMark) for (const w of this.wakeWriters.splice(0)) w();
        yield chunk;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wakeReader = resolve;
      });
    }
  }

  private failed(): boolean {
    return this.failure !== undefined;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }
}
