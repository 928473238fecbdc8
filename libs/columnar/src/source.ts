import { type FileHandle, open } from 'node:fs/promises';

/**
 * Random access to the bytes of one file. The local implementation is below; the HDFS client
 * provides one with the same shape. `name` (the file's path) is used in error messages.
 */
export interface RandomAccessSource {
  readonly name: string;
  size(): Promise<number>;
  /** Exactly `length` bytes from `offset`; fails when they are not all there. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/** Where written bytes go, in order. */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A local file read through one fs.promises FileHandle. */
export class LocalFileSource implements RandomAccessSource {
  private handle?: Promise<FileHandle>;

  constructor(readonly name: string) {}

  private file(): Promise<FileHandle> {
    this.handle ??= open(this.name, 'r');
    return this.handle;
  }

  async size(): Promise<number> {
    return (await (await this.file()).stat()).size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const handle = await this.file();
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} ended after ${done}`);
      }
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }
}

/** Bytes already in memory, e.g. a file just written. */
export class MemorySource implements RandomAccessSource {
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}

  async size(): Promise<number> {
    return this.bytes.byteLength;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || offset + length > this.bytes.byteLength) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} is past the end`);
    }
    return this.bytes.subarray(offset, offset + length);
  }
}

/** One read a CountingSource saw. */
export interface ReadRecord {
  offset: number;
  length: number;
}

/** Wraps a source and records every read, for tests and metrics of bytes fetched. */
export class CountingSource implements RandomAccessSource {
  readonly reads: ReadRecord[] = [];
  bytesRead = 0;

  constructor(private readonly inner: RandomAccessSource) {}

  get name(): string {
    return this.inner.name;
  }

  get requests(): number {
    return this.reads.length;
  }

  size(): Promise<number> {
    return this.inner.size();
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.reads.push({ offset, length });
    this.bytesRead += length;
    return this.inner.read(offset, length);
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

/** A local file written through one FileHandle (created or truncated). */
export class LocalFileSink implements ByteSink {
  private handle?: Promise<FileHandle>;
  bytesWritten = 0;

  constructor(readonly name: string) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.handle ??= open(this.name, 'w');
    const handle = await this.handle;
    let done = 0;
    while (done < chunk.byteLength) {
      const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done);
      done += bytesWritten;
    }
    this.bytesWritten += chunk.byteLength;
  }

  async close(): Promise<void> {
    this.handle ??= open(this.name, 'w');
    await (await this.handle).close();
  }
}

/** Collects written bytes in memory. */
export class MemorySink implements ByteSink {
  private readonly chunks: Uint8Array[] = [];
  closed = false;

  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(new Uint8Array(chunk)); // a copy: the writer may reuse its buffer
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}
