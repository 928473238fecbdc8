import { InvalidInputError } from '@lakestream/core';
import { type Table, tableFromIPC } from 'apache-arrow';
import { ColumnNotFoundError, ParquetFormatError, RowGroupTooLargeError } from './errors';
import { type ParquetFooter, type ReadFooterOptions, type RowGroupInfo, readFooter } from './footer';
import { assembleRowGroupFile, type FetchedChunk, type Projection, projectFooter } from './mini-file';
import { checkColumnChunk } from './page-check';
import type { RandomAccessSource } from './source';
import { locateInvalidUtf8 } from './utf8-locate';
import { parquetWasm } from './wasm';

export interface ReadRowGroupOptions {
  /** Top-level columns to read, returned in this order; all when omitted. */
  columns?: readonly string[];
}

export interface OpenReaderOptions extends ReadFooterOptions {
  /**
   * Refuse row groups whose asked columns are larger than this uncompressed (a bound on the
   * memory one read takes: WebAssembly memory grows to its high-water mark and never shrinks).
   */
  maxRowGroupBytes?: number;
}

interface FetchedRowGroup {
  group: RowGroupInfo;
  columns: string[];
  chunks: FetchedChunk[];
}

export interface RowGroupBatch {
  index: number;
  table: Table;
}

/**
 * Reads a Parquet file one row group at a time with column projection. Only the footer (one or
 * two reads at the end) and the asked columns' chunks (one read per run of adjacent chunks) are
 * fetched from the source. The chunks' page headers are checked, assembled into a small Parquet
 * file (see mini-file.ts) and decoded by parquet-wasm's synchronous reader, whose errors are
 * catchable (its async reader can trap on corrupt pages, which no caller can catch).
 */
export class ParquetReader {
  private readonly projections = new Map<string, Projection>();

  private constructor(
    readonly source: RandomAccessSource,
    readonly footer: ParquetFooter,
    private readonly maxRowGroupBytes: number,
  ) {}

  static async open(source: RandomAccessSource, options: OpenReaderOptions = {}): Promise<ParquetReader> {
    const footer = await readFooter(source, options);
    return new ParquetReader(source, footer, options.maxRowGroupBytes ?? Number.POSITIVE_INFINITY);
  }

  get numRowGroups(): number {
    return this.footer.rowGroups.length;
  }

  get numRows(): number {
    return this.footer.numRows;
  }

  /** Reads row group `index`, only the asked columns, as an apache-arrow Table of one batch. */
  async readRowGroup(index: number, options: ReadRowGroupOptions = {}): Promise<Table> {
    return this.decodeFetched(await this.fetchRowGroup(index, options));
  }

  /**
   * Row groups in order. While the caller works on one, the next one's bytes are fetched
   * (at most two row groups' compressed chunks in memory), so I/O overlaps decoding.
   */
  async *rowGroups(options: ReadRowGroupOptions = {}): AsyncGenerator<RowGroupBatch> {
    let next = this.numRowGroups > 0 ? this.fetchRowGroup(0, options) : undefined;
    for (let index = 0; index < this.numRowGroups; index++) {
      const fetched = await next!;
      next = index + 1 < this.numRowGroups ? this.fetchRowGroup(index + 1, options) : undefined;
      next?.catch(() => undefined); // a failure surfaces when awaited, even if the caller stops early
      yield { index, table: this.decodeFetched(fetched) };
    }
  }

  private async fetchRowGroup(index: number, options: ReadRowGroupOptions): Promise<FetchedRowGroup> {
    const group = this.footer.rowGroups[index];
    if (!group || !Number.isInteger(index)) {
      throw new InvalidInputError(
        `${this.footer.file}: row group ${index} does not exist (the file has ${this.numRowGroups})`,
        'rowGroup',
      );
    }
    const columns = this.checkColumns(index, options.columns);
    // An empty row group (pyarrow's empty table) decodes to the empty table: nothing to fetch.
    if (group.numRows === 0) return { group: { ...group, index: -1 }, columns, chunks: [] };
    const bytes = group.columns.reduce((s, c) => s + (columns.includes(c.field) ? c.uncompressedSize : 0), 0);
    if (bytes > this.maxRowGroupBytes) {
      throw new RowGroupTooLargeError(this.footer.file, index, bytes, this.maxRowGroupBytes);
    }
    return { group, columns, chunks: await this.fetchChunks(group, columns) };
  }

  private decodeFetched({ group, chunks, columns }: FetchedRowGroup): Table {
    try {
      return this.decode(group, chunks, columns);
    } catch (error) {
      throw this.explain(error, group, chunks, columns);
    }
  }

  /** The asked columns with no rows (for a file without row groups). */
  readEmpty(options: ReadRowGroupOptions = {}): Table {
    const columns = this.checkColumns(0, options.columns);
    const group: RowGroupInfo = { index: -1, numRows: 0, totalByteSize: 0, columns: [] };
    return this.decode(group, [], columns);
  }

  /** Nothing to free: no WebAssembly state outlives a read. The source belongs to the caller. */
  async close(): Promise<void> {}

  private checkColumns(rowGroup: number, columns: readonly string[] | undefined): string[] {
    if (columns === undefined) return [...this.footer.fields];
    if (columns.length === 0) throw new InvalidInputError('read at least one column', 'columns');
    for (const column of columns) {
      if (!this.footer.fields.includes(column)) {
        throw new ColumnNotFoundError({ file: this.footer.file, rowGroup, column }, this.footer.fields);
      }
    }
    return [...columns];
  }

  /**
   * Fetches the asked columns' chunks of one row group (adjacent chunks in one read, none for
   * chunks inside the bytes read with the footer) and checks
   * their page headers, so WebAssembly only sees bytes that are whole and well-formed.
   */
  private async fetchChunks(group: RowGroupInfo, columns: string[]): Promise<FetchedChunk[]> {
    const wanted = group.columns
      .map((chunk, column) => ({ chunk, column }))
      .filter(({ chunk }) => columns.includes(chunk.field))
      .sort((a, b) => a.chunk.offset - b.chunk.offset);
    const spans: { offset: number; end: number; members: typeof wanted }[] = [];
    for (const w of wanted) {
      const last = spans[spans.length - 1];
      if (last && last.end === w.chunk.offset) {
        last.end += w.chunk.length;
        last.members.push(w);
      } else spans.push({ offset: w.chunk.offset, end: w.chunk.offset + w.chunk.length, members: [w] });
    }
    const tail = this.footer.tail;
    const reads = await Promise.all(
      spans.map((s) =>
        // Bytes already fetched with the footer are not fetched again.
        s.offset >= tail.offset
          ? Promise.resolve(tail.bytes.subarray(s.offset - tail.offset, s.end - tail.offset))
          : this.source.read(s.offset, s.end - s.offset),
      ),
    );
    const out: FetchedChunk[] = [];
    spans.forEach((span, k) => {
      for (const { chunk, column } of span.members) {
        const from = chunk.offset - span.offset;
        const bytes = reads[k]!.subarray(from, from + chunk.length);
        if (bytes.byteLength !== chunk.length) {
          throw new ParquetFormatError(
            { file: this.footer.file, rowGroup: group.index, column: chunk.name },
            `short read: ${bytes.byteLength} of ${chunk.length} bytes`,
          );
        }
        checkColumnChunk(bytes, chunk, { file: this.footer.file, rowGroup: group.index, column: chunk.name });
        out.push({ column, bytes });
      }
    });
    return out;
  }

  private decode(group: RowGroupInfo, chunks: FetchedChunk[], columns: string[]): Table {
    const key = JSON.stringify(columns);
    let projection = this.projections.get(key);
    if (!projection) {
      projection = projectFooter(this.footer, columns);
      this.projections.set(key, projection);
    }
    const file = assembleRowGroupFile(this.footer, projection, group.index, chunks);
    const options = { batchSize: Math.max(1, group.numRows) };
    const table = tableFromIPC(parquetWasm.readParquet(file, options).intoIPCStream());
    const ordered = columns.every((c, i) => table.schema.fields[i]?.name === c);
    return ordered ? table : table.select(columns);
  }

  /** Turns a decoding failure into an error naming file, row group and (when found) the column. */
  private explain(error: unknown, group: RowGroupInfo, chunks: FetchedChunk[], columns: string[]): unknown {
    const where = { file: this.footer.file, rowGroup: group.index };
    const reason = (e: unknown, column: string): string => {
      const message = e instanceof Error ? e.message : String(e);
      const utf8 = /UTF-8/i.test(message) ? locateInvalidUtf8(this.footer, group, chunks, column) : undefined;
      return utf8 ?? `cannot decode: ${message}`;
    };
    if (columns.length === 1)
      return new ParquetFormatError({ ...where, column: columns[0] }, reason(error, columns[0]!), {
        cause: error,
      });
    for (const column of columns) {
      const own = chunks.filter((c) => group.columns[c.column]!.field === column);
      try {
        this.decode(group, own, [column]);
      } catch (inner) {
        return new ParquetFormatError({ ...where, column }, reason(inner, column), { cause: inner });
      }
    }
    return new ParquetFormatError(
      where,
      `cannot decode: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Opens `source`, reads every row group with the asked columns and returns them as one Table. */
export async function readParquetColumns(
  source: RandomAccessSource,
  options: ReadRowGroupOptions & OpenReaderOptions = {},
): Promise<Table> {
  const reader = await ParquetReader.open(source, options);
  const tables: Table[] = [];
  for await (const { table } of reader.rowGroups(options)) tables.push(table);
  if (tables.length === 0) return reader.readEmpty(options);
  return tables.length === 1 ? tables[0]! : tables[0]!.concat(...tables.slice(1));
}
