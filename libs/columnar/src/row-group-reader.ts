import { InvalidInputError } from '@lakestream/core';
import { type Table, tableFromIPC } from 'apache-arrow';
import { SourceBlob } from './blob-source';
import { ColumnNotFoundError, ParquetFormatError } from './errors';
import { type ParquetFooter, type ReadFooterOptions, readFooter } from './footer';
import type { RandomAccessSource } from './source';
import { parquetWasm } from './wasm';

export interface ReadRowGroupOptions {
  /** Top-level columns to read, returned in this order; all when omitted. */
  columns?: readonly string[];
}

export interface RowGroupBatch {
  index: number;
  table: Table;
}

/**
 * Reads a Parquet file one row group at a time with column projection, fetching only the
 * footer and the byte ranges of the asked columns' chunks from the source. Decoding is done by
 * parquet-wasm's async reader; values arrive as apache-arrow Tables.
 */
export class ParquetReader {
  private file?: Promise<parquetWasm.ParquetFile>;
  private readonly blob: SourceBlob;

  private constructor(
    readonly source: RandomAccessSource,
    readonly footer: ParquetFooter,
  ) {
    this.blob = new SourceBlob(source, 0, footer.fileSize, footer.tail);
  }

  /** Reads the footer (one or two ranged reads at the end of the file). */
  static async open(source: RandomAccessSource, options: ReadFooterOptions = {}): Promise<ParquetReader> {
    return new ParquetReader(source, await readFooter(source, options));
  }

  get numRowGroups(): number {
    return this.footer.rowGroups.length;
  }

  get numRows(): number {
    return this.footer.numRows;
  }

  /** Reads row group `index`, only the asked columns. */
  async readRowGroup(index: number, options: ReadRowGroupOptions = {}): Promise<Table> {
    const group = this.footer.rowGroups[index];
    if (!group || !Number.isInteger(index)) {
      throw new InvalidInputError(
        `${this.footer.file}: row group ${index} does not exist (the file has ${this.numRowGroups})`,
        'rowGroup',
      );
    }
    const columns = this.checkColumns(index, options.columns);
    try {
      return await this.decode([index], group.numRows, columns);
    } catch (error) {
      throw await this.explain(error, index, group.numRows, columns);
    }
  }

  /** Row groups in order, each read after the previous one is handed out. */
  async *rowGroups(options: ReadRowGroupOptions = {}): AsyncGenerator<RowGroupBatch> {
    for (let index = 0; index < this.numRowGroups; index++) {
      yield { index, table: await this.readRowGroup(index, options) };
    }
  }

  /** The asked columns with no rows: the schema of a file without row groups. */
  async readEmpty(options: ReadRowGroupOptions = {}): Promise<Table> {
    const columns = this.checkColumns(0, options.columns);
    return this.decode([], 1, columns);
  }

  /** Frees the WebAssembly-side file handle; the source stays open (it belongs to the caller). */
  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) (await file.catch(() => undefined))?.free();
  }

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

  private wasmFile(): Promise<parquetWasm.ParquetFile> {
    this.file ??= parquetWasm.ParquetFile.fromFile(this.blob as unknown as Blob);
    return this.file;
  }

  private async decode(rowGroups: number[], numRows: number, columns: string[]): Promise<Table> {
    const file = await this.wasmFile();
    const wasmTable = await file.read({ rowGroups, columns, batchSize: Math.max(1, numRows) });
    const table = tableFromIPC(wasmTable.intoIPCStream());
    const ordered = columns.every((c, i) => table.schema.fields[i]?.name === c);
    return ordered ? table : table.select(columns);
  }

  /** Turns a decoding failure into an error naming file, row group and (when found) the column. */
  private async explain(error: unknown, index: number, numRows: number, columns: string[]): Promise<unknown> {
    if (this.blob.failure !== undefined) {
      const failure = this.blob.failure;
      this.blob.failure = undefined;
      return failure;
    }
    const file = this.footer.file;
    const reason = `cannot decode: ${error instanceof Error ? error.message : String(error)}`;
    if (columns.length === 1)
      return new ParquetFormatError({ file, rowGroup: index, column: columns[0] }, reason);
    for (const column of columns) {
      try {
        await this.decode([index], numRows, [column]);
      } catch (inner) {
        const why = `cannot decode: ${inner instanceof Error ? inner.message : String(inner)}`;
        return new ParquetFormatError({ file, rowGroup: index, column }, why, { cause: inner });
      }
    }
    return new ParquetFormatError({ file, rowGroup: index }, reason, { cause: error });
  }
}

/** Opens `source`, reads every row group with the asked columns and returns them as one Table. */
export async function readParquetColumns(
  source: RandomAccessSource,
  options: ReadRowGroupOptions & ReadFooterOptions = {},
): Promise<Table> {
  const reader = await ParquetReader.open(source, options);
  try {
    const tables: Table[] = [];
    for await (const { table } of reader.rowGroups(options)) tables.push(table);
    if (tables.length === 0) return await reader.readEmpty(options);
    return tables.length === 1 ? tables[0]! : tables[0]!.concat(...tables.slice(1));
  } finally {
    await reader.close();
  }
}
