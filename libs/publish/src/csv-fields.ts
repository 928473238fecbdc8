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

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const daysInMonth = (y: number, m: number): number =>
  m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : m === 4 || m === 6 || m === 9 || m === 11
      ? 30
      : 31;

/** The two-digit number at `i`, or NaN. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

function micros(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  fraction: number,
): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && sec <= 59))
    return Number.NaN;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000_000 + sec * 1_000_000 + fraction;
}

/**
 * Microseconds since the epoch (UTC, no time zone: as the raw table stores it) of
 * `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (or with `T`, optionally `Z`/`+00:00`); NaN when not.
 * The two common shapes are read without a regular expression or a Date.
 */
export function parseTimestampMicros(s: string): number {
  const n = s.length;
  if ((n === 10 || n === 19) && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = two(s, 0) * 100 + two(s, 2);
    const mo = two(s, 5);
    const d = two(s, 8);
    if (n === 10) return micros(y, mo, d, 0, 0, 0, 0);
    const sep = s.charCodeAt(10);
    if ((sep === 32 || sep === 84) && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58)
      return micros(y, mo, d, two(s, 11), two(s, 14), two(s, 17), 0);
  }
  const m = TIMESTAMP.exec(s);
  if (!m) return Number.NaN;
  const fraction = m[7] ? Math.floor(+m[7].padEnd(6, '0').slice(0, 6)) : 0;
  return micros(+m[1]!, +m[2]!, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, fraction);
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
