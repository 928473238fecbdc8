/**
 * One partition of the study's table, column by column. Names are dictionary codes (few
 * distinct values, no string per row); timestamps are microseconds since the epoch, UTC;
 * booleans are 0/1 bytes. `valid.<column>` (1 = present) exists only for columns with nulls.
 */
export interface EmployeeColumns {
  length: number;
  id: BigInt64Array;
  name: { codes: Int32Array; dictionary: readonly string[] };
  age: Int32Array;
  salary: Float64Array;
  signupUs: BigInt64Array;
  isActive: Uint8Array;
  valid: Partial<Record<EmployeeField, Uint8Array>>;
}

export type EmployeeField = 'id' | 'name' | 'age' | 'salary' | 'signup_date' | 'is_active';

/** Fields in the order a missing value is reported (the first missing one names the reason). */
export const REQUIRED_FIELDS: readonly EmployeeField[] = [
  'id',
  'name',
  'age',
  'salary',
  'signup_date',
  'is_active',
];

/**
 * Values a kept row may hold; rows beyond them are dropped and counted as invalid, by field.
 * Ages outside 14–100 are data errors in an employee table (a 0 or -1 standing for unknown, a
 * 150 or 999): the youngest legal working age in most countries to an age no payroll holds in
 * earnest. The study's ages (18–64) and the described profile's (18–80) lie well inside. A
 * salary must be a finite number: NaN and infinities would poison every mean and ordering.
 */
export const VALID_AGES = { min: 14, max: 100 } as const;

/** One row as reports show it: the cleaned schema's names. */
export interface EmployeeRow {
  id: number;
  full_name: string;
  age: number;
  salary: number;
  /** Milliseconds since the epoch, UTC. */
  signup_date: number;
  is_active: boolean;
}

export function rowAt(c: EmployeeColumns, i: number): EmployeeRow {
  return {
    id: Number(c.id[i]),
    full_name: c.name.dictionary[c.name.codes[i]!] ?? '',
    age: c.age[i]!,
    salary: c.salary[i]!,
    signup_date: Math.floor(Number(c.signupUs[i]) / 1000),
    is_active: c.isActive[i] === 1,
  };
}
