import type { RandomAccessSource } from './source';

/** Bytes already fetched (the footer tail), served again without another read. */
export interface CachedRange {
  offset: number;
  bytes: Uint8Array;
}

/**
 * A Blob look-alike over a RandomAccessSource, for parquet-wasm's `ParquetFile.fromFile`:
 * its async reader slices the blob and awaits `arrayBuffer()` for exactly the byte ranges it
 * needs (footer, then the projected column chunks of the asked row groups). Reads inside
 * `cache` are answered from memory. The first source error is kept in `failure`, because an
 * error crossing WebAssembly may lose its class.
 */
export class SourceBlob {
  failure?: unknown;

  constructor(
    private readonly source: RandomAccessSource,
    private readonly start: number,
    private readonly end: number,
    private readonly cache?: CachedRange,
    private readonly root?: SourceBlob,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  get type(): string {
    return '';
  }

  slice(from = 0, to: number = this.size): SourceBlob {
    const clamp = (n: number): number => Math.min(this.size, Math.max(0, n < 0 ? this.size + n : n));
    const a = clamp(from);
    const b = Math.max(a, clamp(to));
    return new SourceBlob(this.source, this.start + a, this.start + b, this.cache, this.root ?? this);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const length = this.end - this.start;
    const cache = this.cache;
    if (cache && this.start >= cache.offset && this.end <= cache.offset + cache.bytes.byteLength) {
      const from = this.start - cache.offset;
      return copyOut(cache.bytes.subarray(from, from + length));
    }
    try {
      return copyOut(await this.source.read(this.start, length));
    } catch (error) {
      const root = this.root ?? this;
      root.failure ??= error;
      throw error;
    }
  }
}

function copyOut(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}
