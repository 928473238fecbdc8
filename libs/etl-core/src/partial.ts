import { type Histogram, histogramOf } from '@lakestream/drift';
import type { CleanResult } from './clean';
import { type EmployeeColumns, type EmployeeRow, rowAt } from './employees';
import { int64Words } from './id-set';
import { type ColumnStats, statsAt } from './moments';
import { topK } from './top-k';

export const TOP_EARNERS = 10;
export const AGE_EXTREMES = 5;

/** What one partition contributes to its batch's report; small, and mergeable. */
export interface PartitionSummary {
  rowsIn: number;
  rowsOut: number;
  missing: Record<string, number>;
  /** Rows dropped for an invalid value (VALID_AGES, a salary not finite), by field; absent in partials of older versions. */
  invalid?: Record<string, number>;
  duplicatesRemoved: number;
  futureSignupDates: number;
  futureDropped: number;
  columnStats: ColumnStats[];
  topEarners: EmployeeRow[];
  youngestActive: EmployeeRow[];
  oldestActive: EmployeeRow[];
  /** Fixed-bin histograms of the columns given edges (drift detection); absent in partials of older versions. */
  histograms?: Histogram[];
}

/** Bin edges per column for the partition's histograms (from config drift.bins); others are skipped. */
export type HistogramEdges = Readonly<Record<string, readonly number[]>>;

/**
 * The partition's statistics and query candidates over its kept rows. Ties: salary desc
 * then id asc; age asc (or desc) then id asc — a total order, so merges are exact.
 */
export function summarisePartition(
  c: EmployeeColumns,
  cleaned: CleanResult,
  histogramEdges: HistogramEdges = {},
): PartitionSummary {
  const { keep } = cleaned;
  const { id, salary, age, isActive } = c;
  // Ids compared by their 32-bit words (signed high, unsigned low): the same order, no BigInt per comparison.
  const idWords = int64Words(id);
  const idLess = (a: number, b: number) => {
    const ha = idWords[2 * a + 1]!;
    const hb = idWords[2 * b + 1]!;
    return ha < hb || (ha === hb && idWords[2 * a]! >>> 0 < idWords[2 * b]! >>> 0);
  };
  const earner = (a: number, b: number) =>
    salary[a]! > salary[b]! || (salary[a] === salary[b] && idLess(a, b));
  const younger = (a: number, b: number) => age[a]! < age[b]! || (age[a] === age[b] && idLess(a, b));
  const older = (a: number, b: number) => age[a]! > age[b]! || (age[a] === age[b] && idLess(a, b));
  const active = (r: number) => isActive[r] === 1;
  // Dense over the kept rows (k, not the row), read from 32-bit words: no BigInt per row.
  const words = int64Words(c.signupUs);
  const signupMs = new Float64Array(keep.length);
  const activeFlags = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) {
    const r = keep[k]!;
    signupMs[k] = (words[2 * r + 1]! * 4294967296 + (words[2 * r]! >>> 0)) / 1000;
    activeFlags[k] = isActive[r]!;
  }
  const dense = new Uint32Array(keep.length);
  for (let k = 0; k < dense.length; k++) dense[k] = k;
  // Kept rows only: the clean table's distribution, the one a model trained on it saw.
  const binned: Record<string, () => Histogram> = {
    age: () => histogramOf('age', histogramEdges.age!, age, { rows: keep }),
    salary: () => histogramOf('salary', histogramEdges.salary!, salary, { rows: keep }),
    is_active: () => histogramOf('is_active', histogramEdges.is_active!, activeFlags),
    signup_date: () => histogramOf('signup_date', histogramEdges.signup_date!, signupMs),
  };
  const histograms = Object.keys(histogramEdges)
    .filter((column) => column in binned)
    .sort()
    .map((column) => binned[column]!());
  return {
    rowsIn: cleaned.rowsIn,
    rowsOut: keep.length,
    missing: cleaned.missing,
    invalid: cleaned.invalid,
    duplicatesRemoved: cleaned.duplicatesRemoved,
    futureSignupDates: cleaned.futureSignupDates,
    futureDropped: cleaned.futureDropped,
    columnStats: [
      statsAt('age', age, keep),
      statsAt('salary', salary, keep),
      statsAt('signup_date', signupMs, dense),
      statsAt('is_active', activeFlags, dense),
    ],
    topEarners: topK(keep, TOP_EARNERS, earner).map((r) => rowAt(c, r)),
    youngestActive: topK(keep, AGE_EXTREMES, younger, active).map((r) => rowAt(c, r)),
    oldestActive: topK(keep, AGE_EXTREMES, older, active).map((r) => rowAt(c, r)),
    histograms,
  };
}
