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
