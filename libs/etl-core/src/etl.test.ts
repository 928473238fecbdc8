import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rangeEdges } from '@lakestream/drift';
import { runPython, tempDir } from '@lakestream/testkit';
import { cleanPartition } from './clean';
import type { EmployeeColumns } from './employees';
import { mergeSummaries } from './merge';
import { variance } from './moments';
import { summarisePartition } from './partial';

const NAMES = ['Alice', 'Bob', 'Charlie', 'David', 'Eve'];
const NOW_US = 1_764_000_000_000_000n;

/** A dirty table: repeated ids, nulls in every column, future dates, many ties in age and salary. */
function dirtyRows(n: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const rows: {
    pos: number;
    id: number | null;
    name: string | null;
    age: number | null;
    salary: number | null;
    signup: number | null;
    active: boolean | null;
  }[] = [];
  for (let i = 0; i < n; i++) {
    const nul = (p: number) => rnd() < p;
    rows.push({
      pos: i,
      id: nul(0.003) ? null : Math.floor(rnd() * n * 0.8),
      name: nul(0.01) ? null : NAMES[Math.floor(rnd() * 5)]!,
      age: nul(0.01) ? null : 18 + Math.floor(rnd() * 63),
      salary: nul(0.01) ? null : Math.round((30000 + rnd() * 90000) * 100) / 100,
      signup: nul(0.01) ? null : Number(NOW_US / 1000n) * 1000 + Math.round((rnd() - 0.8) * 3650 * 86400e6),
      active: nul(0.005) ? null : rnd() < 0.5,
    });
  }
  return rows;
}

function toColumns(rows: ReturnType<typeof dirtyRows>): EmployeeColumns {
  const n = rows.length;
  const c: EmployeeColumns = {
    length: n,
    id: new BigInt64Array(n),
    name: { codes: new Int32Array(n), dictionary: NAMES },
    age: new Int32Array(n),
    salary: new Float64Array(n),
    signupUs: new BigInt64Array(n),
    isActive: new Uint8Array(n),
    valid: {
      id: new Uint8Array(n),
      name: new Uint8Array(n),
      age: new Uint8Array(n),
      salary: new Uint8Array(n),
      signup_date: new Uint8Array(n),
      is_active: new Uint8Array(n),
    },
  };
  rows.forEach((r, i) => {
    const v = c.valid;
    if (r.id !== null) {
      c.id[i] = BigInt(r.id);
      v.id![i] = 1;
    }
    if (r.name !== null) {
      c.name.codes[i] = NAMES.indexOf(r.name);
      v.name![i] = 1;
    }
    if (r.age !== null) {
      c.age[i] = r.age;
      v.age![i] = 1;
    }
    if (r.salary !== null) {
      c.salary[i] = r.salary;
      v.salary![i] = 1;
    }
    if (r.signup !== null) {
      c.signupUs[i] = BigInt(r.signup);
      v.signup_date![i] = 1;
    }
    if (r.active !== null) {
      c.isActive[i] = r.active ? 1 : 0;
      v.is_active![i] = 1;
    }
  });
  return c;
}

const EDGES = {
  age: rangeEdges({ from: 0, to: 120, step: 5 }),
  salary: rangeEdges({ from: 0, to: 400_000, step: 10_000 }),
  is_active: rangeEdges({ from: 0, to: 2, step: 1 }),
  prediction: rangeEdges({ from: 0, to: 1, step: 1 }),
};

test('partition summaries merged over 3 partitions equal DuckDB over the whole table', () => {
  const rows = dirtyRows(30_000, 7);
  const parts = [0, 1, 2].map((p) => rows.filter((r) => (r.id === null ? r.pos % 3 === p : r.id % 3 === p)));
  const summaries = parts.map((part) => {
    const cols = toColumns(part);
    return summarisePartition(cols, cleanPartition(cols, { nowUs: NOW_US, futurePolicy: 'flag' }), EDGES);
  });
  const merged = mergeSummaries(summaries);

  const dir = tempDir();
  const file = join(dir, 'rows.json');
  writeFileSync(file, JSON.stringify(rows));
  const sql = `
import duckdb, json, sys
con = duckdb.connect()
con.execute("create table raw as select * from read_json_auto(?, format='array')", [sys.argv[1]])
con.execute("""create table clean as select * from (
  select *, row_number() over (partition by id order by pos) as k from raw
  where id is not null and name is not null and age is not null and salary is not null and signup is not null and active is not null
) where k = 1""")
def rows(q):
    return [dict(id=r[0], full_name=r[1], age=r[2], salary=r[3], signup_date=r[4] // 1000, is_active=r[5]) for r in con.execute(q).fetchall()]
cols = "id, name, age, salary, signup, active"
out = dict(
  rowsIn=con.execute("select count(*) from raw").fetchone()[0],
  rowsOut=con.execute("select count(*) from clean").fetchone()[0],
  future=con.execute("select count(*) from clean where signup > ${NOW_US}").fetchone()[0],
  top=rows(f"select {cols} from clean order by salary desc, id limit 10"),
  young=rows(f"select {cols} from clean where active order by age, id limit 5"),
  old=rows(f"select {cols} from clean where active order by age desc, id limit 5"),
  salary=con.execute("select avg(salary), var_pop(salary), min(salary), max(salary) from clean").fetchone(),
  age=con.execute("select avg(age), var_pop(age) from clean").fetchone(),
  hist={c: dict(con.execute(f"select 1 + floor({e})::int as b, count(*) from clean group by b").fetchall())
        for c, e in [("age", "age / 5"), ("salary", "salary / 10000"), ("is_active", "active::int")]},
)
print(json.dumps(out))
`;
  const ref = JSON.parse(runPython(sql, [file]));
  assert.equal(merged.rowsIn, ref.rowsIn);
  assert.equal(merged.rowsOut, ref.rowsOut);
  assert.equal(
    merged.rowsIn - merged.rowsOut,
    Object.values(merged.missing).reduce((a, b) => a + b, 0) + merged.duplicatesRemoved,
  );
  assert.ok(merged.duplicatesRemoved > 1000, `the fixture has repeated ids (${merged.duplicatesRemoved})`);
  assert.equal(merged.futureSignupDates, ref.future);
  assert.deepEqual(merged.topEarners, ref.top);
  assert.deepEqual(merged.youngestActive, ref.young);
  assert.deepEqual(merged.oldestActive, ref.old);
  const salary = merged.columnStats.find((s) => s.column === 'salary')!;
  const age = merged.columnStats.find((s) => s.column === 'age')!;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  assert.ok(
    close(salary.mean, ref.salary[0]) && close(variance(salary), ref.salary[1]),
    `salary ${salary.mean} ${variance(salary)} vs ${ref.salary}`,
  );
  assert.equal(salary.min, ref.salary[2]);
  assert.equal(salary.max, ref.salary[3]);
  assert.ok(close(age.mean, ref.age[0]) && close(variance(age), ref.age[1]));
  // Histograms of the kept rows, exact after the merge; columns without data (prediction) skipped.
  assert.deepEqual(
    merged.histograms?.map((h) => h.column),
    ['age', 'is_active', 'salary'],
  );
  for (const h of merged.histograms ?? []) {
    const want = h.counts.map((_, b) => ref.hist[h.column][String(b)] ?? 0);
    assert.deepEqual(h.counts, want, h.column);
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      merged.rowsOut,
    );
  }
});

test('the drop policy removes future signup dates and counts them', () => {
  const cols = toColumns(dirtyRows(5000, 3));
  const flagged = cleanPartition(cols, { nowUs: NOW_US, futurePolicy: 'flag' });
  const dropped = cleanPartition(cols, { nowUs: NOW_US, futurePolicy: 'drop' });
  assert.ok(flagged.futureSignupDates > 500);
  assert.equal(dropped.futureDropped, flagged.futureSignupDates);
  assert.equal(dropped.keep.length, flagged.keep.length - flagged.futureSignupDates);
  assert.equal(
    flagged.futureFlag.reduce((a, b) => a + b, 0),
    flagged.futureSignupDates,
  );
  for (const r of dropped.keep) assert.ok(cols.signupUs[r]! <= NOW_US);
});
