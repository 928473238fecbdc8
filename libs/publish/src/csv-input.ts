import { hashPartition } from '@lakestream/dataset';
import {
  ACCEPTED_CSV_TYPES,
  CSV_TYPES,
  type CsvType,
  inferCsvType,
  parseBool,
  parseFloat64,
  parseInteger,
  parseTimestampMicros,
} from './csv-fields';
import { CsvRecordTooLongError, readCsvRecords } from './csv-records';
import { ACTIVE, AGE, NAME, type PartitionSpill, SALARY, SIGNUP } from './files-spill';
import { type BadRow, InputFileError, listNames } from './input-errors';
import { RAW_COLUMNS } from './raw-table';

/** A CSV column's declared type (`--schema FILE`: a JSON list of these). */
export interface CsvColumnType {
  name: string;
  type: CsvType;
}

export interface CsvReadOptions {
  /** Column types to use instead of inferring them from the first rows. */
  schema?: readonly CsvColumnType[];
  /** Columns beyond the raw table's are dropped instead of refused. */
  allowExtraColumns?: boolean;
  delimiter?: string;
  /** Rows sampled for type inference (default 1000). */
  sampleRows?: number;
  /** Longest record in characters (default 16 Mi). */
  maxRecordChars?: number;
  /** Called with the bytes of every chunk read. */
  onBytes?: (bytes: number) => void;
  /** Bytes per read (default 1 MiB; tests use tiny reads to cut records and characters). */
  highWaterMark?: number;
}

const RAW_NAMES: readonly string[] = RAW_COLUMNS.map((c) => c.name);
const TWO_POW_32 = 4294967296;
const SAMPLE = 1000;

/** Checks a header against the raw columns; returns each raw column's field index. */
export function mapHeader(file: string, header: readonly string[], allowExtra: boolean): number[] {
  const names = header.map((h) => h.trim());
  const missing = RAW_NAMES.filter((n) => !names.includes(n));
  if (missing.length)
    throw new InputFileError(
      { file, line: 1 },
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header has ${listNames(names)}; expected ${RAW_NAMES.join(', ')})`,
    );
  const seen = new Set<string>();
  const dup = names.find((n) => seen.size === seen.add(n).size);
  if (dup !== undefined)
    throw new InputFileError({ file, line: 1, column: dup }, 'the column appears twice in the header');
  const extra = names.filter((n) => !RAW_NAMES.includes(n));
  if (extra.length && !allowExtra)
    throw new InputFileError(
      { file, line: 1 },
      `unexpected column${extra.length > 1 ? 's' : ''} ${listNames(extra)} (expected exactly ${RAW_NAMES.join(', ')}; --allow-extra-columns drops them)`,
    );
  return RAW_NAMES.map((n) => names.indexOf(n));
}

/** Checks declared or inferred column types against what each raw column accepts. */
function checkTypes(
  file: string,
  types: Map<string, { type: CsvType | 'empty'; example?: string; line?: number }>,
) {
  for (const name of RAW_NAMES) {
    const t = types.get(name);
    if (!t || ACCEPTED_CSV_TYPES[name]!.includes(t.type)) continue;
    const expected = RAW_COLUMNS.find((c) => c.name === name)!.type;
    throw new InputFileError(
      { file, line: t.line, column: name },
      t.example !== undefined
        ? `expected ${expected}, the column holds ${t.type} values such as ${JSON.stringify(t.example)}`
        : `declared ${t.type} in the schema, expected ${expected}`,
    );
  }
}

export interface CsvFileResult {
  rows: number;
  badRows: number;
}

/**
 * Reads one CSV file (header row required) into the spill, each row to its id's hash
 * partition. Bad rows (wrong field count, unparsable values, null ids) go to `onBadRow` with
 * file, line and column; structural problems (empty file, missing or extra columns, a column
 * of the wrong type) throw InputFileError.
 */
export async function readCsvFile(
  file: string,
  displayName: string,
  spill: PartitionSpill,
  onBadRow: (row: BadRow) => void,
  options: CsvReadOptions = {},
): Promise<CsvFileResult> {
  const sampleRows = options.sampleRows ?? SAMPLE;
  const partitions = spill.partitions;
  let index: number[] | undefined;
  let width = 0;
  let rows = 0;
  let bad = 0;
  // Sampled rows keep only the raw columns' fields (a file may have thousands of columns).
  const sample: { fields: string[]; count: number; line: number; unclosed: boolean; notUtf8: boolean }[] = [];
  const RAW_INDEX = RAW_NAMES.map((_, k) => k);

  const badRow = (line: number, column: string | undefined, reason: string): false => {
    bad++;
    onBadRow({ file: displayName, line, column, reason });
    return false;
  };

  /**
   * Adds a row to the spill; false when it is bad (or blank). `f[ix[k]]` is the raw column k's
   * field and `count` the record's number of fields (sampled rows keep only the raw ones).
   */
  const addRow = (
    f: readonly string[],
    ix: readonly number[],
    count: number,
    line: number,
    unclosed: boolean,
    notUtf8: boolean,
  ): boolean => {
    if (unclosed) return badRow(line, undefined, 'a quoted field opened on this line is never closed');
    if (count !== width) {
      if (count === 1 && f[0] === '') return false; // blank line
      return badRow(line, undefined, `expected ${width} fields, found ${count}`);
    }
    if (notUtf8) {
      // Bytes that are not UTF-8 were read as U+FFFD: refuse the row rather than publish a mangled value.
      for (let k = 0; k < ix.length; k++) {
        const v = f[ix[k]]!;
        if (v.includes('\ufffd'))
          return badRow(
            line,
            RAW_NAMES[k],
            `${JSON.stringify(v)} is not valid UTF-8 (\ufffd marks the bytes that are not; expected UTF-8 text: convert the file, e.g. iconv -f latin1 -t utf-8)`,
          );
      }
    }
    const idText = f[ix[0]]!;
    let lo: number;
    let hi: number;
    let part: number;
    const id = parseInteger(idText);
    if (idText === '') return badRow(line, 'id', 'id is empty (ids are required)');
    if (Number.isNaN(id) || id < 0)
      return badRow(line, 'id', `${JSON.stringify(idText)} is not a non-negative integer`);
    if (Number.isSafeInteger(id)) {
      lo = id >>> 0;
      hi = (id - lo) / TWO_POW_32;
      part = hashPartition(id, partitions);
    } else {
      if (!/^\d+$/.test(idText) || BigInt(idText) >= 2n ** 63n)
        return badRow(line, 'id', `${JSON.stringify(idText)} is not an int64`);
      const big = BigInt(idText);
      lo = Number(big & 0xffffffffn);
      hi = Number(big >> 32n);
      part = hashPartition(big, partitions);
    }
    let flags = 0;
    const name = f[ix[1]]!;
    if (name !== '') flags |= NAME;
    const ageText = f[ix[2]]!;
    let age = 0;
    if (ageText !== '') {
      const a = parseInteger(ageText);
      if (Number.isNaN(a) || a < -2147483648 || a > 2147483647)
        return badRow(line, 'age', `${JSON.stringify(ageText)} is not an int32`);
      age = a;
      flags |= AGE;
    }
    const salaryText = f[ix[3]]!;
    let salary = 0;
    if (salaryText !== '') {
      salary = parseFloat64(salaryText);
      if (Number.isNaN(salary))
        return badRow(line, 'salary', `${JSON.stringify(salaryText)} is not a number`);
      flags |= SALARY;
    }
    const dateText = f[ix[4]]!;
    let signup = 0;
    if (dateText !== '') {
      signup = parseTimestampMicros(dateText);
      if (Number.isNaN(signup))
        return badRow(
          line,
          'signup_date',
          `${JSON.stringify(dateText)} is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS[.ffffff])`,
        );
      flags |= SIGNUP;
    }
    const activeText = f[ix[5]]!;
    let active = 0;
    if (activeText !== '') {
      active = parseBool(activeText);
      if (active < 0)
        return badRow(line, 'is_active', `${JSON.stringify(activeText)} is not a boolean (true/false/1/0)`);
      flags |= ACTIVE;
    }
    spill.add(part, lo, hi, name, age, salary, signup, active, flags);
    rows++;
    return true;
  };

  const startRows = (): void => {
    const types = new Map<string, { type: CsvType | 'empty'; example?: string; line?: number }>();
    if (options.schema) {
      for (const c of options.schema) {
        if (!CSV_TYPES.includes(c.type))
          throw new InputFileError(
            { file: displayName, column: c.name },
            `schema type ${JSON.stringify(c.type)}: expected one of ${CSV_TYPES.join(', ')}`,
          );
        types.set(c.name, { type: c.type });
      }
    } else {
      // A column is refused as a whole when most of its sampled values are of a type it does not
      // accept (the wrong file, or columns swapped); a few bad values are bad rows.
      RAW_NAMES.forEach((name, k) => {
        let present = 0;
        const offenders: { value: string; line: number }[] = [];
        for (const s of sample) {
          const v = s.count === width ? s.fields[k]! : '';
          if (v === '') continue;
          present++;
          if (!ACCEPTED_CSV_TYPES[name]!.includes(inferCsvType([v])))
            offenders.push({ value: v, line: s.line });
        }
        if (offenders.length * 2 > present) {
          const first = offenders[0]!;
          types.set(name, {
            type: inferCsvType(offenders.map((o) => o.value)),
            example: first.value,
            line: first.line,
          });
        }
      });
    }
    checkTypes(displayName, types);
    for (const s of sample) addRow(s.fields, RAW_INDEX, s.count, s.line, s.unclosed, s.notUtf8);
    sample.length = 0;
  };

  let sampling = true;
  const fieldLimit = { max: Number.POSITIVE_INFINITY };
  const { records } = await readCsvRecords(
    file,
    (fields, line, unclosed, notUtf8, count) => {
      if (!index) {
        index = mapHeader(displayName, fields, options.allowExtraColumns ?? false);
        width = fields.length;
        // Fields beyond the last raw column are only counted (a file of thousands of columns).
        fieldLimit.max = Math.max(...index) + 1;
        return;
      }
      if (sampling) {
        if (count === 1 && fields[0] === '') return; // blank line
        const ix = index;
        const kept = count === width ? ix.map((i) => fields[i]!) : fields.slice(0, ix.length);
        sample.push({ fields: kept, count, line, unclosed, notUtf8 });
        if (sample.length >= sampleRows) {
          sampling = false;
          startRows();
        }
        return;
      }
      addRow(fields, index, count, line, unclosed, notUtf8);
    },
    {
      fieldLimit,
      delimiter: options.delimiter,
      onBytes: options.onBytes,
      maxRecordChars: options.maxRecordChars,
      highWaterMark: options.highWaterMark,
    },
  ).catch((error: unknown) => {
    if (error instanceof CsvRecordTooLongError)
      throw new InputFileError(
        { file: displayName, line: error.line },
        error.message.replace(/^a record starting on line \d+/, 'a record'),
      );
    throw error;
  });
  if (records === 0)
    throw new InputFileError({ file: displayName }, 'the file is empty (a header row is required)');
  if (sampling) startRows();
  // A header without rows is an empty input (a day without new employees), published as such.
  return { rows, badRows: bad };
}
