/**
 * One ETL consumer's partition work without Kafka or HDFS, on local files: read, verify the
 * sha256, decode, clean, summarise, encode and write the clean partition — what
 * services/etl's processRawPartition does between its HDFS read and write.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { MemorySource, readParquetColumns, writeParquet } from '@lakestream/columnar';
import { cleanPartition, cleanToArrow, employeesFromArrow, summarisePartition } from '@lakestream/etl-core';

export interface DirectJob {
  file: string;
  outDir: string;
  nowUs: string;
}

parentPort!.on('message', async (job: DirectJob) => {
  try {
    const t0 = performance.now();
    const raw = readFileSync(job.file);
    createHash('sha256').update(raw).digest('hex');
    const table = await readParquetColumns(new MemorySource(job.file, raw));
    const t1 = performance.now();
    const columns = employeesFromArrow(table, job.file);
    const cleaned = cleanPartition(columns, { nowUs: BigInt(job.nowUs), futurePolicy: 'flag' });
    const summary = summarisePartition(columns, cleaned);
    const t2 = performance.now();
    const bytes = writeParquet(cleanToArrow(columns, cleaned), { compression: 'snappy' });
    writeFileSync(join(job.outDir, job.file.replace(/^.*\//, '')), bytes);
    const t3 = performance.now();
    parentPort!.postMessage({
      summary,
      ms: { read: t1 - t0, clean: t2 - t1, write: t3 - t2 },
      heapMB: process.memoryUsage().heapUsed / 2 ** 20,
    });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
