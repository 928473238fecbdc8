import type { CleanResult } from './clean';
import { type EmployeeColumns, type EmployeeRow, rowAt } from './employees';
import { type ColumnStats, statsAt } from './moments';
import { topK } from './top-k';

export const TOP_EARNERS = 10;
export const AGE_EXTREMES = 5;

/** What one partition contributes to its batch's report; small, and mergeable. */
export interface PartitionSummary {
  rowsIn: number;
  rowsOut: number;
  missing: Record<string, number>;
  duplicatesRemoved: number;
  futureSignupDates: number;
  futureDropped: number;
  columnStats: ColumnStats[];
  topEarners: EmployeeRow[];
  youngestActive: EmployeeRow[];
  oldestActive: EmployeeRow[];
}

/**
 * The partition's statistics and query candidates over its kept rows. Ties: salary desc
 * then id asc; age asc (or desc) then id asc — a total order, so merges are exact.
 */
export function summarisePartition(c: EmployeeColumns, cleaned: CleanResult): PartitionSummary {
  const { keep } = cleaned;
  const { id, salary, age, isActive } = c;
  const earner = (a: number, b: number) =>
    salary[a]! > salary[b]! || (salary[a] === salary[b] && id[a]! < id[b]!);
  const younger = (a: number, b: number) => age[a]! < age[b]! || (age[a] === age[b] && id[a]! < id[b]!);
  const older = (a: number, b: number) => age[a]! > age[b]! || (age[a] === age[b] && id[a]! < id[b]!);
  const active = (r: number) => isActive[r] === 1;
  const signupMs = new Float64Array(c.length);
  for (let k = 0; k < keep.length; k++) signupMs[keep[k]!] = Number(c.signupUs[keep[k]!]) / 1000;
  const activeFlags = new Float64Array(c.length);
  for (let k = 0; k < keep.length; k++) activeFlags[keep[k]!] = isActive[keep[k]]!;
  return {
    rowsIn: cleaned.rowsIn,
    rowsOut: keep.length,
    missing: cleaned.missing,
    duplicatesRemoved: cleaned.duplicatesRemoved,
    futureSignupDates: cleaned.futureSignupDates,
    futureDropped: cleaned.futureDropped,
    columnStats: [
      statsAt('age', age, keep),
      statsAt('salary', salary, keep),
      statsAt('signup_date', signupMs, keep),
      statsAt('is_active', activeFlags, keep),
    ],
    topEarners: topK(keep, TOP_EARNERS, earner).map((r) => rowAt(c, r)),
    youngestActive: topK(keep, AGE_EXTREMES, younger, active).map((r) => rowAt(c, r)),
    oldestActive: topK(keep, AGE_EXTREMES, older, active).map((r) => rowAt(c, r)),
  };
}
