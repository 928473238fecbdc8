import { type EmployeeColumns, REQUIRED_FIELDS, VALID_AGES } from './employees';
import { IdSet, int64Words } from './id-set';

export type FuturePolicy = 'flag' | 'drop';

export interface CleanOptions {
  /** Signup dates after this instant (µs since the epoch) count as future dates. */
  nowUs: bigint;
  futurePolicy: FuturePolicy;
}

export interface CleanResult {
  /** Positions of the rows kept, in input order. */
  keep: Uint32Array;
  /** 1 where a kept row's signup date lies in the future (aligned with `keep`). */
  futureFlag: Uint8Array;
  rowsIn: number;
  /** Rows dropped for a missing value, by the first missing field. */
  missing: Record<string, number>;
  /** Rows dropped for a value beyond VALID_AGES or a salary that is not finite, by field. */
  invalid: Record<string, number>;
  duplicatesRemoved: number;
  futureSignupDates: number;
  futureDropped: number;
}

/**
 * The cleaning rules of one partition: drop rows missing a required field, drop rows with an
 * age outside VALID_AGES or a salary that is not finite, drop repeated ids (the first
 * remaining occurrence stays; exact for the batch because ingest partitions by id hash),
 * count future signup dates and flag or drop them. Returns positions, copies nothing.
 */
export function cleanPartition(c: EmployeeColumns, options: CleanOptions): CleanResult {
  const n = c.length;
  const keep = new Uint32Array(n);
  const futureFlag = new Uint8Array(n);
  const missing: Record<string, number> = {};
  const { age, salary } = c;
  let badAges = 0;
  let badSalaries = 0;
  const checked = REQUIRED_FIELDS.filter((f) => c.valid[f] !== undefined);
  const masks = checked.map((f) => c.valid[f]!);
  const seen = new IdSet(n);
  // 64-bit values read as 32-bit words: no BigInt per row (exact for every value).
  const ids = int64Words(c.id);
  const signups = int64Words(c.signupUs);
  const nowLo = Number(BigInt.asUintN(32, options.nowUs));
  const nowHi = Number(BigInt.asIntN(32, options.nowUs >> 32n));
  const drop = options.futurePolicy === 'drop';
  let kept = 0;
  let duplicates = 0;
  let future = 0;
  let futureDropped = 0;
  rows: for (let i = 0; i < n; i++) {
    for (let f = 0; f < masks.length; f++) {
      if (masks[f]![i] === 0) {
        const field = checked[f]!;
        missing[field] = (missing[field] ?? 0) + 1;
        continue rows;
      }
    }
    const a = age[i]!;
    if (a < VALID_AGES.min || a > VALID_AGES.max) {
      badAges++;
      continue;
    }
    if (!Number.isFinite(salary[i]!)) {
      badSalaries++;
      continue;
    }
    if (!seen.addWords(ids[2 * i]!, ids[2 * i + 1]!)) {
      duplicates++;
      continue;
    }
    const hi = signups[2 * i + 1]!;
    if (hi > nowHi || (hi === nowHi && signups[2 * i]! >>> 0 > nowLo)) {
      future++;
      if (drop) {
        futureDropped++;
        continue;
      }
      futureFlag[kept] = 1;
    }
    keep[kept++] = i;
  }
  const invalid: Record<string, number> = {};
  if (badAges) invalid.age = badAges;
  if (badSalaries) invalid.salary = badSalaries;
  return {
    keep: keep.subarray(0, kept),
    futureFlag: futureFlag.subarray(0, kept),
    rowsIn: n,
    missing,
    invalid,
    duplicatesRemoved: duplicates,
    futureSignupDates: future,
    futureDropped,
  };
}
