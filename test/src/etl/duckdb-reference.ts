import { runPython } from '@lakestream/testkit';

/**
 * The ETL's answers recomputed by DuckDB from the raw files (shared by the ETL test
 * and the fault suite's invariant checker): the rows kept, the dirt counts, Query 1 and 2, the salary and
 * age statistics, and a value-for-value comparison with the clean files. The rules are written
 * out again here, from the README rather than the code: rows missing a value, ages outside
 * 14–100 and salaries that are not finite are dropped (etl-core's VALID_AGES), then repeated ids.
 */
const DUCKDB = `
import duckdb, json, sys
raw, clean, now_us = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
con = duckdb.connect()
# A query slower than 2 s (a loaded machine) would print a progress bar into the JSON on stdout.
con.execute("set enable_progress_bar = false")
con.execute("create table raw as select * from read_parquet(?, filename = true, file_row_number = true)", [raw])
con.execute("""create table want as select id, name as full_name, age, salary, epoch_us(signup_date) as signup_us, is_active,
  epoch_us(signup_date) > ? as signup_in_future from (
  select *, row_number() over (partition by id order by filename, file_row_number) as k from raw
  where id is not null and name is not null and age is not null and salary is not null and signup_date is not null and is_active is not null
    and age between 14 and 100 and isfinite(salary)
) where k = 1""", [now_us])
con.execute("create table got as select id, full_name, age, salary, epoch_us(signup_date) as signup_us, is_active, signup_in_future from read_parquet(?)", [clean])
row = lambda r: dict(id=r[0], full_name=r[1], age=r[2], salary=r[3], signup_date=r[4] // 1000, is_active=r[5])
q = lambda sql: [row(r) for r in con.execute(sql).fetchall()]
print(json.dumps(dict(
  rowsIn=con.execute("select count(*) from raw").fetchone()[0],
  rowsOut=con.execute("select count(*) from want").fetchone()[0],
  missing=con.execute("select count(*) from raw where id is null or name is null or age is null or salary is null or signup_date is null or is_active is null").fetchone()[0],
  invalid=con.execute("select count(*) from raw where id is not null and name is not null and age is not null and salary is not null and signup_date is not null and is_active is not null and not (age between 14 and 100 and isfinite(salary))").fetchone()[0],
  future=con.execute("select count(*) from want where signup_in_future").fetchone()[0],
  top=q("select * from want order by salary desc, id limit 10"),
  young=q("select * from want where is_active order by age, id limit 5"),
  old=q("select * from want where is_active order by age desc, id limit 5"),
  salary=con.execute("select avg(salary), var_pop(salary), min(salary), max(salary) from want").fetchone(),
  age=con.execute("select avg(age), var_pop(age) from want").fetchone(),
  cleanDiff=con.execute("select count(*) from ((select * from want except all select * from got) union all (select * from got except all select * from want))").fetchone()[0],
  cleanRows=con.execute("select count(*) from got").fetchone()[0],
)))
`;

export interface Reference {
  rowsIn: number;
  rowsOut: number;
  missing: number;
  /** Rows with every value present but an age outside 14–100 or a salary not finite. */
  invalid: number;
  future: number;
  top: unknown[];
  young: unknown[];
  old: unknown[];
  /** avg, var_pop, min, max of the kept rows; nulls when none is kept. */
  salary: [number, number, number, number];
  age: [number, number];
  cleanDiff: number;
  cleanRows: number;
}

/** DuckDB over local copies of the raw and clean files; `nowMs` is the batch's publish time. */
export function duckdbReference(raw: string[], clean: string[], nowMs: number): Reference {
  return JSON.parse(
    runPython(DUCKDB, [JSON.stringify(raw), JSON.stringify(clean), String(nowMs * 1000)]),
  ) as Reference;
}
