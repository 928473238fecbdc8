"""The study's three ETL pipelines, written as the study wrote them, on PySpark local[N].

usage: python etl_pyspark.py <raw parquet dir> <output dir> [--cores 2]
Prints one JSON line: seconds per pipeline and in all, rows, memory before/after (RSS of the JVM + Python).
"""
import json
import os
import sys
import time

import psutil
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def rss_gb():
    proc = psutil.Process()
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**30


def main():
    src, out = sys.argv[1], sys.argv[2]
    cores = int(sys.argv[sys.argv.index("--cores") + 1]) if "--cores" in sys.argv else 2
    started = time.time()
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("study-etl")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", str(cores * 4))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.time() - started
    result = {"sparkStartupSeconds": startup, "cores": cores}

    # 1. Benchmark pipeline: load, rename, date format, save; time and memory before/after.
    t0 = time.time()
    mem_before = rss_gb()
    df = spark.read.parquet(src)
    rows = df.count()
    df = df.withColumnRenamed("name", "full_name").withColumn("signup_date", F.to_timestamp("signup_date"))
    df.write.mode("overwrite").parquet(os.path.join(out, "processed"))
    result["benchmark"] = {"seconds": time.time() - t0, "rows": rows, "memoryBeforeGB": mem_before, "memoryAfterGB": rss_gb()}

    # 2. Query 1: drop duplicates, top 10 earners, save.
    t0 = time.time()
    df = spark.read.parquet(src).withColumnRenamed("name", "full_name")
    top = df.dropDuplicates(["full_name", "salary"]).orderBy(F.col("salary").desc()).limit(10)
    top_rows = [r.asDict() for r in top.collect()]
    top.write.mode("overwrite").parquet(os.path.join(out, "top_earners"))
    result["query1"] = {"seconds": time.time() - t0, "top": [{k: str(v) for k, v in r.items()} for r in top_rows]}

    # 3. Query 2: youngest and oldest 5 active employees, save.
    t0 = time.time()
    df = spark.read.parquet(src).withColumnRenamed("name", "full_name")
    active = df.filter(F.col("is_active") == True)  # noqa: E712 (Spark column expression)
    young = active.orderBy(F.col("age").asc()).limit(5)
    old = active.orderBy(F.col("age").desc()).limit(5)
    young.write.mode("overwrite").parquet(os.path.join(out, "youngest"))
    old.write.mode("overwrite").parquet(os.path.join(out, "oldest"))
    result["query2"] = {"seconds": time.time() - t0}

    result["seconds"] = result["benchmark"]["seconds"] + result["query1"]["seconds"] + result["query2"]["seconds"]
    result["secondsWithStartup"] = time.time() - started
    spark.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
