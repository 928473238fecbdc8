import type { HdfsClient } from './client';
import { HdfsError } from './errors';

/** What columnar readers need of a file: its size and exact byte ranges. */
export interface RandomAccessSource {
  name: string;
  size(): Promise<number>;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** One HDFS file as a RandomAccessSource; counts what it fetched so tests can check range reads. */
export class HdfsSource implements RandomAccessSource {
  /** Bytes returned by `read` so far. */
  bytesRead = 0;
  /** Range reads made so far. */
  requests = 0;
  private sizePromise: Promise<number> | undefined;

  constructor(
    private readonly client: HdfsClient,
    readonly name: string,
  ) {}

  size(): Promise<number> {
    this.sizePromise ??= this.client.stat(this.name).then((s) => s.length);
    this.sizePromise.catch(() => {
      this.sizePromise = undefined;
    });
    return this.sizePromise;
  }

  /** Exactly `length` bytes at `offset`; a file ending sooner is an error. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    this.requests++;
    const bytes = await this.client.read(this.name, { offset, length });
    this.bytesRead += bytes.byteLength;
    if (bytes.byteLength !== length) {
      throw new HdfsError(
        `read ${this.name}: asked ${length} bytes at ${offset}, the file gave ${bytes.byteLength}`,
        this.name,
      );
    }
    return bytes;
  }
}
