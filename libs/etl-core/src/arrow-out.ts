import {
  Bool,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { CleanResult } from './clean';
import type { EmployeeColumns } from './employees';

/**
 * The clean partition as an Arrow table: the kept rows with `name` renamed `full_name`,
 * signup dates as UTC microsecond timestamps, and `signup_in_future` when the policy flags them.
 */
export function cleanToArrow(c: EmployeeColumns, cleaned: CleanResult): Table {
  const { keep } = cleaned;
  const n = keep.length;
  const id = new BigInt64Array(n);
  const codes = new Int32Array(n);
  const age = new Int32Array(n);
  const salary = new Float64Array(n);
  const signup = new BigInt64Array(n);
  const active = new Uint8Array((n + 7) >> 3);
  const future = new Uint8Array((n + 7) >> 3);
  for (let k = 0; k < n; k++) {
    const r = keep[k]!;
    id[k] = c.id[r]!;
    codes[k] = c.name.codes[r]!;
    age[k] = c.age[r]!;
    salary[k] = c.salary[r]!;
    signup[k] = c.signupUs[r]!;
    if (c.isActive[r] === 1) active[k >> 3]! |= 1 << (k & 7);
    if (cleaned.futureFlag[k] === 1) future[k >> 3]! |= 1 << (k & 7);
  }
  const dictionary = vectorFromArray([...c.name.dictionary], new Utf8());
  const nameType = new Dictionary(new Utf8(), new Int32());
  return new Table({
    id: makeVector(makeData({ type: new Int64(), length: n, data: id })),
    full_name: makeVector(makeData({ type: nameType, length: n, data: codes, dictionary })),
    age: makeVector(makeData({ type: new Int32(), length: n, data: age })),
    salary: makeVector(makeData({ type: new Float64(), length: n, data: salary })),
    signup_date: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: n, data: signup })),
    is_active: makeVector(makeData({ type: new Bool(), length: n, data: active })),
    signup_in_future: makeVector(makeData({ type: new Bool(), length: n, data: future })),
  });
}
