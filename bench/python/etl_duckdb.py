"""lakestream's ETL semantics in DuckDB on local Parquet files: the anchor our ETL must stay near.

Drops rows missing a required field, removes repeated ids (first occurrence by file and row),
counts future signup dates, renames name → full_name, writes the clean table as Parquet,
computes column statistics, the top 10 earners and the 5 youngest / oldest active employees.
usage: python etl_duckdb.py <raw parquet dir> <output dir> [--threads 2] [--now-us N]
Prints one JSON line.
"""
import json
import os
import sys
import time

import duckdb


def main():
    src, out = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    now_us = int(sys.argv[sys.argv.index("--now-us") + 1]) if "--now-us" in sys.argv else int(time.time() * 1e6)
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(
        f"""
        CREATE TEMP TABLE clean AS
        SELECT id, name AS full_name, age, salary, signup_date, is_active
        FROM (
          SELECT *, row_number() OVER (PARTITION BY id ORDER BY filename, file_row_number) AS k
          FROM read_parquet('{src}/*.parquet', filename = true, file_row_number = true)
          WHERE id IS NOT NULL AND name IS NOT NULL AND age IS NOT NULL AND salary IS NOT NULL
            AND signup_date IS NOT NULL AND is_active IS NOT NULL
        ) WHERE k = 1
        """
    )
    con.execute(f"COPY clean TO '{out}/clean' (FORMAT parquet, COMPRESSION snappy, PER_THREAD_OUTPUT true, OVERWRITE true)")
    rows_in = con.execute(f"SELECT count(*) FROM read_parquet('{src}/*.parquet')").fetchone()[0]
    stats = con.execute(
        f"""SELECT count(*), avg(salary), var_pop(salary), min(salary), max(salary), avg(age), var_pop(age),
                   count(*) FILTER (WHERE epoch_us(signup_date) > {now_us}) FROM clean"""
    ).fetchone()
    cols = "id, full_name, age, salary, epoch_ms(signup_date) AS signup_date, is_active"
    queries = {
        "top_earners": f"SELECT {cols} FROM clean ORDER BY salary DESC, id LIMIT 10",
        "youngest": f"SELECT {cols} FROM clean WHERE is_active ORDER BY age, id LIMIT 5",
        "oldest": f"SELECT {cols} FROM clean WHERE is_active ORDER BY age DESC, id LIMIT 5",
    }
    names = ["id", "full_name", "age", "salary", "signup_date", "is_active"]
    answers = {}
    for name, sql in queries.items():
        # Saved as the ETL saves them, then read back for the JSON line (no values pasted into SQL).
        con.execute(f"COPY ({sql}) TO '{out}/{name}.parquet' (FORMAT parquet)")
        answers[name] = [dict(zip(names, r)) for r in con.execute(f"SELECT * FROM '{out}/{name}.parquet'").fetchall()]
    top, young, old = answers["top_earners"], answers["youngest"], answers["oldest"]
    print(json.dumps({
        "seconds": time.time() - t0,
        "rowsIn": rows_in,
        "rowsOut": stats[0],
        "salary": {"mean": stats[1], "var": stats[2], "min": stats[3], "max": stats[4]},
        "age": {"mean": stats[5], "var": stats[6]},
        "futureSignupDates": stats[7],
        "topEarners": top,
        "youngestActive": young,
        "oldestActive": old,
        "threads": threads,
    }, default=str))


if __name__ == "__main__":
    main()
