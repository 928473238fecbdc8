import { InvalidInputError } from '@lakestream/core';

/** Where in an input file something is wrong: a CSV line or a Parquet row group, and a column. */
export interface InputLocation {
  file: string;
  /** 1-based CSV line (the header is line 1). */
  line?: number;
  /** 0-based Parquet row group. */
  rowGroup?: number;
  column?: string;
}

/** One rejected row, as reported in the result or the error. */
export interface BadRow extends InputLocation {
  reason: string;
}

export const describeLocation = (at: InputLocation): string =>
  [
    at.file,
    at.line !== undefined ? `line ${at.line}` : undefined,
    at.rowGroup !== undefined ? `row group ${at.rowGroup}` : undefined,
    at.column !== undefined ? `column ${at.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');

/** At most this many column names in a message (a file may have thousands). */
const NAMES_SHOWN = 20;

/** `a, b, c … and 9980 more`: a list of column names cut short for a message. */
export function listNames(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')} … and ${names.length - NAMES_SHOWN} more`;
}

/** An input file that cannot be published as it is; the message names file, line or row group, and column. */
export class InputFileError extends InvalidInputError {
  readonly file: string;
  readonly line?: number;
  readonly rowGroup?: number;
  readonly column?: string;

  constructor(at: InputLocation, reason: string, options: { cause?: unknown } = {}) {
    super(`${describeLocation(at)}: ${reason}`, 'files');
    this.file = at.file;
    this.line = at.line;
    this.rowGroup = at.rowGroup;
    this.column = at.column;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Rows that did not parse; the batch is refused unless bad rows may be skipped. */
export class BadRowsError extends InvalidInputError {
  constructor(
    readonly badRows: readonly BadRow[],
    readonly count: number,
  ) {
    const shown = badRows
      .slice(0, 5)
      .map((r) => `  ${describeLocation(r)}: ${r.reason}`)
      .join('\n');
    super(
      `${count} bad row${count === 1 ? '' : 's'}; nothing was published (use --skip-bad-rows to publish the rest):\n${shown}${count > 5 ? `\n  … and ${count - 5} more` : ''}`,
      'files',
    );
  }
}
