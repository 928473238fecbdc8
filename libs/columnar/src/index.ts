export {
  ColumnNotFoundError,
  ColumnTypeError,
  ParquetFormatError,
  ParquetWriteError,
  RowGroupTooLargeError,
} from './errors';
export type { ParquetLocation } from './errors';
export { CountingSource, LocalFileSink, LocalFileSource, MemorySink, MemorySource } from './source';
export type { ByteSink, RandomAccessSource, ReadRecord } from './source';
export { CODECS, PHYSICAL_TYPES, readFooter } from './footer';
export type {
  CodecName,
  ColumnChunkInfo,
  ColumnStatistics,
  ParquetFooter,
  PhysicalType,
  ReadFooterOptions,
  RowGroupInfo,
  SchemaLeaf,
  StatValue,
} from './footer';
export { ParquetReader, readParquetColumns } from './row-group-reader';
export type { OpenReaderOptions, ReadRowGroupOptions, RowGroupBatch } from './row-group-reader';
export { DEFAULT_ROW_GROUP_ROWS, mostlyDistinctColumns, writeParquet, writeParquetToSink } from './writer';
export type { ParquetCompression, ParquetStatistics, WriteParquetOptions, WriteResult } from './writer';
export { wasmMemoryBytes } from './wasm';
export { float64Column, stringColumn } from './columns';
export type { Float64Column, StringColumn } from './columns';
export { filterIndices, maskIndices } from './kernels/filter';
export { take } from './kernels/take';
export type { NumericArray } from './kernels/take';
export { takeTable } from './kernels/take-table';
export { topK } from './kernels/top-k';
export type { TopKOptions } from './kernels/top-k';
export { columnMoments, emptyMoments, mergeMoments, variance } from './kernels/moments';
export type { Moments } from './kernels/moments';
export { nullCount } from './kernels/null-count';
export { tableFromColumns } from './build';
export type { ColumnSpec } from './build';
