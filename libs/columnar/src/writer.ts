import { InvalidInputError } from '@lakestream/core';
import { DataType, RecordBatch, Table, tableToIPC } from 'apache-arrow';
import { ParquetWriteError } from './errors';
import type { ByteSink } from './source';
import { parquetWasm } from './wasm';

export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'none';
export type ParquetStatistics = 'chunk' | 'page' | 'none';

export interface WriteParquetOptions {
  /** Default snappy. */
  compression?: ParquetCompression;
  /** Rows per row group, and the most rows handed to WebAssembly at once. Default 131072. */
  rowGroupRows?: number;
  /** Min/max/null-count statistics: per column chunk (default), per page as well, or none. */
  statistics?: ParquetStatistics;
  /**
   * Dictionary encoding: 'auto' (default) keeps it for strings, booleans and numeric columns
   * with repeated values, and turns it off for numeric columns whose sampled values are mostly
   * distinct (ids, measurements), where it costs time and makes files larger; true/false for all.
   */
  dictionary?: boolean | 'auto';
  /** Extra key/value metadata stored in the footer. */
  metadata?: Record<string, string>;
  /** Names the destination in error messages (e.g. the HDFS path). */
  destination?: string;
}

export interface WriteResult {
  rows: number;
  bytes: number;
}

export const DEFAULT_ROW_GROUP_ROWS = 131_072;

const COMPRESSION: Record<ParquetCompression, parquetWasm.Compression> = {
  snappy: parquetWasm.Compression.SNAPPY,
  zstd: parquetWasm.Compression.ZSTD,
  gzip: parquetWasm.Compression.GZIP,
  none: parquetWasm.Compression.UNCOMPRESSED,
};

const STATISTICS: Record<ParquetStatistics, parquetWasm.EnabledStatistics> = {
  chunk: parquetWasm.EnabledStatistics.Chunk,
  page: parquetWasm.EnabledStatistics.Page,
  none: parquetWasm.EnabledStatistics.None,
};

function rowGroupRows(options: WriteParquetOptions): number {
  const rows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isInteger(rows) || rows < 1)
    throw new InvalidInputError(`rowGroupRows must be ≥ 1, got ${rows}`);
  return rows;
}

const SAMPLE_ROWS = 65_536;

/** Top-level numeric or temporal columns whose first rows are more than half distinct. */
export function mostlyDistinctColumns(sample: Table | RecordBatch): string[] {
  const out: string[] = [];
  sample.schema.fields.forEach((field, k) => {
    const t = field.type;
    const numeric =
      DataType.isInt(t) ||
      DataType.isFloat(t) ||
      DataType.isTimestamp(t) ||
      DataType.isDate(t) ||
      DataType.isDecimal(t);
    const data = sample.getChildAt(k)?.data[0];
    if (!numeric || !data || data.length === 0) return;
    const values = data.values as ArrayLike<number | bigint>;
    const stride = data.stride;
    const n = Math.min(data.length, SAMPLE_ROWS);
    const seen = new Set<number | bigint>();
    for (let i = 0; i < n; i++) seen.add(values[i * stride]!);
    if (seen.size > n / 2) out.push(field.name);
  });
  return out;
}

function writerProperties(
  options: WriteParquetOptions,
  sample?: Table | RecordBatch,
): parquetWasm.WriterProperties {
  const compression = options.compression ?? 'snappy';
  if (!(compression in COMPRESSION))
    throw new InvalidInputError(`unknown compression ${compression}`, 'compression');
  let builder = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(COMPRESSION[compression])
    .setMaxRowGroupSize(rowGroupRows(options))
    .setStatisticsEnabled(STATISTICS[options.statistics ?? 'chunk'])
    .setDictionaryEnabled(options.dictionary !== false)
    .setCreatedBy('lakestream columnar (parquet-wasm)');
  if ((options.dictionary ?? 'auto') === 'auto' && sample) {
    for (const column of mostlyDistinctColumns(sample))
      builder = builder.setColumnDictionaryEnabled(column, false);
  }
  if (options.metadata) builder = builder.setKeyValueMetadata(new Map(Object.entries(options.metadata)));
  return builder.build();
}

function toWasm(table: Table): parquetWasm.Table {
  return parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream'));
}

function fail(options: WriteParquetOptions, error: unknown): ParquetWriteError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ParquetWriteError(options.destination ?? 'parquet output', reason, { cause: error });
}

/** Encodes a whole Table as one Parquet file in memory (several row groups of `rowGroupRows`). */
export function writeParquet(table: Table, options: WriteParquetOptions = {}): Uint8Array {
  const properties = writerProperties(options, table);
  try {
    return parquetWasm.writeParquet(toWasm(table), properties);
  } catch (error) {
    throw fail(options, error);
  }
}

/** Splits batches into pieces of at most `rows` rows, copying nothing. */
function* pieces(table: Table | RecordBatch, rows: number): Generator<Table> {
  const batches = table instanceof Table ? table.batches : [table];
  for (const batch of batches) {
    for (let start = 0; start < batch.numRows; start += rows) {
      yield new Table(batch.slice(start, Math.min(batch.numRows, start + rows)));
    }
  }
}

/**
 * Streams Arrow data into Parquet through `sink`, handing parquet-wasm at most one row group's
 * rows at a time, so WebAssembly memory stays near one row group in and one out. Closes the sink.
 */
export async function writeParquetToSink(
  input: Table | RecordBatch | Iterable<Table | RecordBatch> | AsyncIterable<Table | RecordBatch>,
  sink: ByteSink,
  options: WriteParquetOptions = {},
): Promise<WriteResult> {
  const rows = rowGroupRows(options);
  const source: Iterable<Table | RecordBatch> | AsyncIterable<Table | RecordBatch> =
    input instanceof Table || input instanceof RecordBatch ? [input] : input;
  const iterator = (async function* () {
    for await (const part of source) yield* pieces(part, rows);
  })();
  // The first piece decides which columns skip dictionary encoding.
  let first: IteratorResult<Table> | undefined = await iterator.next();
  const properties = writerProperties(options, first.done ? undefined : first.value);
  let rowsIn = 0;
  const batches = new ReadableStream<parquetWasm.RecordBatch>(
    {
      async pull(controller) {
        const next = first ?? (await iterator.next());
        first = undefined;
        if (next.done) return controller.close();
        rowsIn += next.value.numRows;
        for (const batch of toWasm(next.value).recordBatches()) controller.enqueue(batch);
      },
    },
    { highWaterMark: 0 },
  );
  let stream: ReadableStream;
  try {
    stream = await parquetWasm.transformParquetStream(batches, properties);
  } catch (error) {
    throw fail(options, error);
  }
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    let chunk: { done: boolean; value?: Uint8Array };
    try {
      chunk = await reader.read();
    } catch (error) {
      throw fail(options, error);
    }
    if (chunk.done || !chunk.value) break;
    await sink.write(chunk.value);
    bytes += chunk.value.byteLength;
  }
  await sink.close();
  return { rows: rowsIn, bytes };
}
