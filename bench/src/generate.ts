/**
 * Dataset generation speed: rows per second of the `described` and `study` profiles,
 * on one core and on worker threads, for the reference batch (30M rows, 30 partitions).
 * The target: 30M rows generated and written as 30 Parquet partitions in ≤ 20 s
 * on 2 cores, so generation alone should run at ≥ 20M rows/s per core.
 */
import {
  type GenerateOptions,
  generateInWorkers,
  generatePartitions,
  generateStudyChunk,
  hashPartition,
} from '@lakestream/dataset';
import { summarise, writeResult } from './results';

interface Measured {
  rows: number;
  seconds: ReturnType<typeof summarise>;
  rowsPerSecond: number;
  /** CPU time of the whole process (all threads), user + system: on a shared machine a
   * fairer measure of cost than wall time. */
  cpuSeconds: ReturnType<typeof summarise>;
  rowsPerCpuSecond: number;
}

async function measure(runs: number, body: () => Promise<number>): Promise<Measured> {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let rows = 0;
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    rows = await body();
    const used = process.cpuUsage(cpu);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    cpuSeconds.push((used.user + used.system) / 1e6);
  }
  const wall = summarise(seconds);
  const cpu = summarise(cpuSeconds);
  return {
    rows,
    seconds: wall,
    rowsPerSecond: Math.round(rows / wall.median),
    cpuSeconds: cpu,
    rowsPerCpuSecond: Math.round(rows / cpu.median),
  };
}

async function singleThread(options: GenerateOptions): Promise<number> {
  let rows = 0;
  for (const part of generatePartitions(options)) rows += part.count;
  return rows;
}

async function inWorkers(options: GenerateOptions, workers: number): Promise<number> {
  let rows = 0;
  for await (const part of generateInWorkers({ ...options, workers })) rows += part.count;
  return rows;
}

export async function runGenerateBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const rows = quick ? 600_000 : 30_000_000;
  const studyChunkRows = quick ? 100_000 : 5_000_000;
  const partitions = 30;
  const runs = quick ? 1 : 3;
  const referenceDate = '2026-01-01';
  const described: GenerateOptions = { rows, partitions, referenceDate };
  const study: GenerateOptions = { rows, partitions, profile: 'study', studyChunkRows };
  const log = (label: string, m: Measured) => {
    process.stderr.write(
      `${label.padEnd(48)} ${(m.rowsPerSecond / 1e6).toFixed(1).padStart(6)} M rows/s  ` +
        `${(m.rowsPerCpuSecond / 1e6).toFixed(1).padStart(6)} M rows/cpu-s  (median ${m.seconds.median.toFixed(2)} s)\n`,
    );
    return m;
  };

  const hashIds = quick ? 3_000_000 : 30_000_000;
  const hashing = log(
    'hashPartition, one id at a time',
    await measure(runs, async () => {
      let sum = 0;
      for (let id = 0; id < hashIds; id++) sum += hashPartition(id, partitions);
      if (sum < 0) throw new Error('unreachable');
      return hashIds;
    }),
  );
  const studyChunk = log(
    `study chunk draw (MT19937, ${studyChunkRows} rows)`,
    await measure(runs, async () => generateStudyChunk(42, studyChunkRows).rows),
  );
  const results = {
    quick,
    partitions,
    hashing,
    studyChunk,
    described: {
      singleThread: log('described, 1 thread', await measure(runs, () => singleThread(described))),
      quirksSingleThread: log(
        'described --quirks, 1 thread',
        await measure(runs, () => singleThread({ ...described, quirks: true })),
      ),
      twoWorkers: log('described, 2 worker threads', await measure(runs, () => inWorkers(described, 2))),
    },
    study: {
      singleThread: log(
        'study, 1 thread (chunk cached after run 1)',
        await measure(runs, () => singleThread(study)),
      ),
      twoWorkers: log(
        'study, 2 worker threads (each draws the chunk)',
        await measure(runs, () => inWorkers(study, 2)),
      ),
    },
    targetRowsPerSecondPerCore: 20_000_000,
  };
  const file = writeResult(quick ? 'generate-quick' : 'generate', results);
  process.stderr.write(`results: ${file}\n`);
  return results;
}

if (require.main === module) {
  runGenerateBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
