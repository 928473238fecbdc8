import { LakeError } from '@lakestream/core';

/** Where in a Parquet file something went wrong: the file always, row group and column when known. */
export interface ParquetLocation {
  file: string;
  rowGroup?: number;
  column?: string;
}

function describe(location: ParquetLocation): string {
  const parts = [location.file];
  if (location.rowGroup !== undefined) parts.push(`row group ${location.rowGroup}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  return parts.join(', ');
}

/**
 * A Parquet file that cannot be read as given (bad magic, truncated, corrupt footer or
 * pages, unknown column). Not retriable: reading it again gives the same answer.
 */
export class ParquetFormatError extends LakeError {
  readonly file: string;
  readonly rowGroup?: number;
  readonly column?: string;
  readonly reason: string;

  constructor(location: ParquetLocation, reason: string, options: { cause?: unknown } = {}) {
    super(`${describe(location)}: ${reason}`, { retriable: false, cause: options.cause });
    this.file = location.file;
    this.rowGroup = location.rowGroup;
    this.column = location.column;
    this.reason = reason;
  }
}

/** A requested column that the file's schema does not have. */
export class ColumnNotFoundError extends ParquetFormatError {
  constructor(location: ParquetLocation & { column: string }, available: readonly string[]) {
    super(location, `no such column (the file has ${available.join(', ')})`);
  }
}

/** Arrow data that cannot be written to Parquet or viewed as the asked-for typed array. */
export class ColumnTypeError extends LakeError {
  constructor(
    readonly column: string,
    reason: string,
  ) {
    super(`column ${column}: ${reason}`, { retriable: false });
  }
}

/** parquet-wasm refused to encode the given data (unsupported type, bad IPC, …). */
export class ParquetWriteError extends LakeError {
  constructor(
    readonly destination: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${destination}: cannot write Parquet: ${reason}`, { retriable: false, cause: options.cause });
  }
}

/** A row group whose asked columns would take more memory than the reader may use. */
export class RowGroupTooLargeError extends LakeError {
  constructor(
    readonly file: string,
    readonly rowGroup: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `${file}, row group ${rowGroup}: its columns decode to about ${bytes} bytes, over the ${limit}-byte limit (write smaller row groups)`,
      { retriable: false },
    );
  }
}
