"""The ingest anchor: DuckDB generates rows of the study's schema and writes them as Parquet
partitions (snappy) to a local folder, on N threads.

usage: python publish_duckdb.py <output dir> <rows> <partitions> [--threads 2]
Prints one JSON line: seconds, bytes.
"""
import json
import os
import sys
import time

import duckdb


def main():
    out, rows, partitions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    per = rows // partitions
    for p in range(partitions):
        n = per + (1 if p < rows % partitions else 0)
        con.execute(
            f"""COPY (
              SELECT i::BIGINT AS id,
                     (['Alice','Bob','Carol','Dave','Eve','Frank','Grace','Heidi'])[1 + (hash(i) % 8)::INT] AS name,
                     (18 + hash(i * 3) % 63)::INT AS age,
                     30000 + random() * 90000 AS salary,
                     TIMESTAMP '2016-01-01' + to_microseconds((hash(i * 7) % 315360000000000)::BIGINT) AS signup_date,
                     random() < 0.5 AS is_active
              FROM range({p * per}, {p * per + n}) t(i)
            ) TO '{out}/part-{p:05d}.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 131072)"""
        )
    seconds = time.time() - t0
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(json.dumps({"seconds": seconds, "bytes": size, "threads": threads, "version": duckdb.__version__}))


if __name__ == "__main__":
    main()
