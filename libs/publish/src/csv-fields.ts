/**
 * Parsers of CSV fields into the raw table's types, and the inference of a column's type
 * from a sample. Parsers return a sentinel (NaN, -1) instead of throwing, so the row loop
 * reports a bad row without an exception per field.
 */

/** Types a CSV column can be declared as (`--schema`) or inferred to. */
export const CSV_TYPES = ['int64', 'int32', 'float64', 'timestamp', 'date', 'bool', 'string'] as const;
export type CsvType = (typeof CSV_TYPES)[number];

const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:Z|[+-]00:?00)?$/;

/** An integer field as a number, NaN when it is not one (an integral float such as pandas' `34.0` is one). */
export function parseInteger(s: string): number {
  const n = Number(s);
  return Number.isInteger(n) && s.trim() === s ? n : Number.NaN;
}

/** A finite number, NaN when not. */
export function parseFloat64(s: string): number {
  const n = Number(s);
  return Number.isFinite(n) && s.trim() === s ? n : Number.NaN;
}

/**
 * Microseconds since the epoch (UTC, no time zone: as the raw table stores it) of
 * `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (or with `T`, optionally `Z`/`+00:00`); NaN when not.
 */
export function parseTimestampMicros(s: string): number {
  const m = TIMESTAMP.exec(s);
  if (!m) return Number.NaN;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = m[4] ? +m[4] : 0;
  const minute = m[5] ? +m[5] : 0;
  const second = m[6] ? +m[6] : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return Number.NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return Number.NaN; // 2024-02-30
  const fraction = m[7] ? Math.floor(+m[7].padEnd(6, '0').slice(0, 6)) : 0;
  return ms * 1000 + fraction;
}

/** 1 / 0 for true / false (true, false, t, f, yes, no, 1, 0 in any case); -1 when not a boolean. */
export function parseBool(s: string): number {
  switch (s.length <= 5 ? s.toLowerCase() : '') {
    case 'true':
    case 't':
    case 'yes':
    case '1':
      return 1;
    case 'false':
    case 'f':
    case 'no':
    case '0':
      return 0;
    default:
      return -1;
  }
}

/** The narrowest type every non-empty value fits, over a sample; 'string' when nothing else does. */
export function inferCsvType(values: readonly string[]): CsvType | 'empty' {
  let ints = true;
  let floats = true;
  let bools = true;
  let timestamps = true;
  let seen = 0;
  for (const v of values) {
    if (v === '') continue;
    seen++;
    if (ints && !/^-?\d+$/.test(v)) ints = false;
    if (floats && Number.isNaN(parseFloat64(v))) floats = false;
    if (bools && (parseBool(v) < 0 || /^\d+$/.test(v))) bools = false;
    if (timestamps && Number.isNaN(parseTimestampMicros(v))) timestamps = false;
  }
  if (seen === 0) return 'empty';
  if (bools) return 'bool';
  if (ints) return 'int64';
  if (floats) return 'float64';
  if (timestamps) return 'timestamp';
  return 'string';
}

/** The types a raw column accepts from a CSV column (values are still checked row by row). */
export const ACCEPTED_CSV_TYPES: Record<string, readonly (CsvType | 'empty')[]> = {
  id: ['int64', 'int32'],
  name: [...CSV_TYPES, 'empty'],
  age: ['int64', 'int32', 'float64', 'empty'],
  salary: ['int64', 'int32', 'float64', 'empty'],
  signup_date: ['timestamp', 'date', 'empty'],
  is_active: ['bool', 'int64', 'int32', 'empty'],
};
