import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Bool,
  type DataType,
  Float64,
  Int32,
  Int64,
  Null,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { employeesFromArrow } from './arrow-in';
import { cleanPartition } from './clean';
import { VALID_AGES } from './employees';
import { EtlInputError } from './errors';
import { mergeSummaries } from './merge';
import { summarisePartition } from './partial';
import { rawColumnsToRead } from './raw-columns';

const NOW_US = BigInt(Date.UTC(2026, 0, 1)) * 1000n;
const DAY_US = 86_400_000_000;

/** A raw table of `n` rows; `columns` replaces any column (values and type). */
function raw(n: number, columns: Record<string, [unknown[], DataType]> = {}): Table {
  const base: Record<string, [unknown[], DataType]> = {
    id: [Array.from({ length: n }, (_, i) => BigInt(i + 1)), new Int64()],
    name: [Array.from({ length: n }, (_, i) => `n${i % 3}`), new Utf8()],
    age: [Array.from({ length: n }, (_, i) => 20 + (i % 40)), new Int32()],
    salary: [Array.from({ length: n }, (_, i) => 1000 + i), new Float64()],
    signup_date: [
      Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 1000),
      new TimestampMicrosecond(),
    ],
    is_active: [Array.from({ length: n }, (_, i) => i % 2 === 0), new Bool()],
    ...columns,
  };
  return new Table(
    Object.fromEntries(
      Object.entries(base).map(([name, [values, type]]) => [name, vectorFromArray(values, type)]),
    ),
  );
}

test('ages outside VALID_AGES and salaries that are not finite are dropped and counted by field, before de-duplication', () => {
  const ages = [
    VALID_AGES.min - 1,
    VALID_AGES.min,
    VALID_AGES.max,
    VALID_AGES.max + 1,
    -1,
    0,
    999,
    30,
    30,
    30,
  ];
  const salaries = [1, 2, 3, 4, 5, 6, 7, Number.NaN, Number.POSITIVE_INFINITY, 10];
  // Row 9 repeats row 7's id: row 7 is invalid (NaN salary), so row 9 is the first valid occurrence and stays.
  const ids = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 8n];
  const c = employeesFromArrow(
    raw(10, { id: [ids, new Int64()], age: [ages, new Int32()], salary: [salaries, new Float64()] }),
    'ages.parquet',
  );
  const cleaned = cleanPartition(c, { nowUs: NOW_US, futurePolicy: 'flag' });
  assert.deepEqual(cleaned.invalid, { age: 5, salary: 2 });
  assert.deepEqual([...cleaned.keep], [1, 2, 9]);
  assert.equal(cleaned.duplicatesRemoved, 0);
  const summary = summarisePartition(c, cleaned);
  assert.deepEqual(summary.invalid, { age: 5, salary: 2 });
  const age = summary.columnStats.find((s) => s.column === 'age')!;
  assert.deepEqual([age.min, age.max], [VALID_AGES.min, VALID_AGES.max]);

  // Merged by adding, and partials written before the rule (no `invalid`) merge as none.
  const { invalid: _, ...older } = summary;
  assert.deepEqual(mergeSummaries([summary, summary, older]).invalid, { age: 10, salary: 4 });
  assert.deepEqual(mergeSummaries([older]).invalid, {});
  // An int64 age beyond int32 does not wrap into a plausible one.
  const wide = employeesFromArrow(raw(2, { age: [[30n, 4294967326n], new Int64()] }), 'wide-ages.parquet');
  assert.deepEqual(cleanPartition(wide, { nowUs: NOW_US, futurePolicy: 'flag' }).invalid, { age: 1 });
  // A clean table has nothing to count.
  assert.deepEqual(
    cleanPartition(employeesFromArrow(raw(5), 'ok.parquet'), { nowUs: NOW_US, futurePolicy: 'flag' }).invalid,
    {},
  );
});

test("columns of Arrow's null type (nulls everywhere) read as all-null: every row dropped, counted by the first missing field", () => {
  const n = 7;
  const nulls = (): [unknown[], DataType] => [Array.from({ length: n }, () => null), new Null()];
  const c = employeesFromArrow(
    raw(n, { name: nulls(), age: nulls(), salary: nulls(), signup_date: nulls(), is_active: nulls() }),
    'nulls.parquet',
  );
  for (const field of ['name', 'age', 'salary', 'signup_date', 'is_active'] as const)
    assert.deepEqual([...c.valid[field]!], new Array(n).fill(0), field);
  const cleaned = cleanPartition(c, { nowUs: NOW_US, futurePolicy: 'flag' });
  assert.deepEqual(cleaned.missing, { name: n });
  assert.equal(cleaned.keep.length, 0);
  const summary = summarisePartition(c, cleaned);
  assert.equal(summary.rowsOut, 0);
  assert.deepEqual(summary.topEarners, []);

  const idNull = employeesFromArrow(raw(3, { id: [[null, null, null], new Null()] }), 'ids.parquet');
  assert.deepEqual(cleanPartition(idNull, { nowUs: NOW_US, futurePolicy: 'flag' }).missing, { id: 3 });
});

test('a column of the wrong type is refused naming file, column, the type found and its first value', () => {
  const cases: [string, Record<string, [unknown[], DataType]>, string][] = [
    [
      'age',
      { age: [[null, '20', 'thirty'], new Utf8()] },
      'p.parquet, column age: expected an integer, found Utf8 (row 1: "20")',
    ],
    [
      'salary',
      { salary: [['1000.50', 'lots', null], new Utf8()] },
      'p.parquet, column salary: expected a number (double, float or integer), found Utf8 (row 0: "1000.50")',
    ],
    [
      'age',
      { age: [[20.5, 21, 22], new Float64()] },
      'p.parquet, column age: expected an integer, found Float64 (row 0: 20.5)',
    ],
    [
      'is_active',
      { is_active: [[1, 0, 1], new Int32()] },
      'p.parquet, column is_active: expected a boolean, found Int32 (row 0: 1)',
    ],
  ];
  for (const [column, columns, message] of cases)
    assert.throws(
      () => employeesFromArrow(raw(3, columns), 'p.parquet'),
      (e: unknown) => e instanceof EtlInputError && e.column === column && e.message === message,
      message,
    );
});

test('the raw columns to read are the six the ETL uses; a missing one is named, and a long column list is cut short', () => {
  const wide = [
    'id',
    'name',
    'age',
    'salary',
    'signup_date',
    'is_active',
    ...Array.from({ length: 10_000 }, (_, k) => `extra_${k}`),
  ];
  assert.deepEqual(rawColumnsToRead('wide.parquet', wide), [
    'id',
    'name',
    'age',
    'salary',
    'signup_date',
    'is_active',
  ]);
  const noAge = wide.filter((f) => f !== 'age');
  assert.throws(
    () => rawColumnsToRead('wide.parquet', noAge),
    (e: unknown) =>
      e instanceof EtlInputError &&
      e.message ===
        `wide.parquet, column age: missing required column (found: id, name, salary, signup_date, is_active, ${Array.from({ length: 15 }, (_, k) => `extra_${k}`).join(', ')} … and 9985 more)`,
  );
  assert.throws(
    () => rawColumnsToRead('x.parquet', ['id', 'name']),
    /^EtlInputError: x\.parquet: missing required columns age, salary, signup_date, is_active \(found: id, name\)$/,
  );
});

test('a name that is not UTF-8 is refused naming the row and its bytes', () => {
  const bytes = Uint8Array.from([0x4a, 0x6f, 0x73, 0xe9]);
  // A Utf8 vector holding Latin-1 bytes, as a writer that does not check would leave it.
  const names = vectorFromArray(['ok', 'Jose'], new Utf8());
  const data = names.data[0]!;
  const values = new Uint8Array(data.values.length);
  values.set(data.values);
  values.set(bytes, data.valueOffsets[1]!);
  const table = raw(2).assign(new Table({ name: names }));
  (table.getChild('name')!.data[0] as { values: Uint8Array }).values = values;
  assert.throws(
    () => employeesFromArrow(table, 'latin1.parquet'),
    (e: unknown) =>
      e instanceof EtlInputError &&
      e.message ===
        'latin1.parquet, column name: row 1: "Jos\\xe9" is not valid UTF-8 (expected UTF-8 strings)',
  );
});

test('an all-null signup_date column drops its rows as missing signup dates, none counted as future', () => {
  const c = employeesFromArrow(raw(2, { signup_date: [[null, null], new Null()] }), 'd.parquet');
  const cleaned = cleanPartition(c, { nowUs: NOW_US - BigInt(DAY_US) * 10_000n, futurePolicy: 'flag' });
  assert.deepEqual(cleaned.missing, { signup_date: 2 });
  assert.equal(cleaned.futureSignupDates, 0);
});

test('a partition that keeps no row does not pull the batch minimum to 0 once its partial went through JSON', () => {
  const full = employeesFromArrow(raw(5), 'full.parquet');
  const none = employeesFromArrow(raw(3, { age: [[0, 0, 0], new Int32()] }), 'none.parquet');
  const summary = (c: ReturnType<typeof employeesFromArrow>) =>
    JSON.parse(
      JSON.stringify(summarisePartition(c, cleanPartition(c, { nowUs: NOW_US, futurePolicy: 'flag' }))),
    );
  for (const parts of [
    [summary(full), summary(none)],
    [summary(none), summary(full)],
  ]) {
    const salary = mergeSummaries(parts).columnStats.find((s) => s.column === 'salary')!;
    assert.deepEqual([salary.count, salary.min, salary.max, salary.mean], [5, 1000, 1004, 1002]);
  }
});
