import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mergeSummaries, type PartitionSummary } from '@lakestream/etl-core';
import type { DirectJob } from './etl-direct-worker';

export interface DirectRun {
  threads: number;
  seconds: number;
  rowsIn: number;
  rowsOut: number;
  /** Milliseconds summed over partitions: read+verify+decode, convert+clean+summarise, encode+write. */
  ms: { read: number; clean: number; write: number };
  peakRssMB: number;
}

/**
 * Our partition pipeline on local copies of the raw files, `threads` worker threads taking
 * partitions from one queue (no Kafka, no HDFS): the CPU side of the ETL, comparable with
 * DuckDB on the same local files, and free of other consumers of the lake-etl group.
 */
export async function runDirectEtl(
  rawDir: string,
  outDir: string,
  threads: number,
  nowUs: string,
): Promise<DirectRun> {
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(rawDir)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(rawDir, f));
  const started = performance.now();
  const summaries: PartitionSummary[] = [];
  const ms = { read: 0, clean: 0, write: 0 };
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const queue = [...files];
  const workers = Array.from({ length: threads }, () => new Worker(join(__dirname, 'etl-direct-worker.js')));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let file = queue.shift(); file; file = queue.shift()) {
          const job: DirectJob = { file, outDir, nowUs };
          const reply = await new Promise<{
            summary?: PartitionSummary;
            ms?: typeof ms;
            error?: string;
          }>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage(job);
          });
          worker.removeAllListeners('error');
          if (reply.error) throw new Error(`${file}: ${reply.error}`);
          summaries.push(reply.summary!);
          for (const k of Object.keys(ms) as (keyof typeof ms)[]) ms[k] += reply.ms![k];
        }
      }),
    );
  } finally {
    clearInterval(sampler);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const merged = mergeSummaries(summaries);
  return {
    threads,
    seconds,
    rowsIn: merged.rowsIn,
    rowsOut: merged.rowsOut,
    ms: { read: Math.round(ms.read), clean: Math.round(ms.clean), write: Math.round(ms.write) },
    peakRssMB: Math.round(peakRss / 2 ** 20),
  };
}
