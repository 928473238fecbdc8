/**
 * The ETL through the real system at the study's size: `lake serve etl --concurrency N` as its
 * own process (consumer group lake-etl on lake.chunks.raw), started after a batch was published
 * with publishSynthetic, timed from its consumers up to etl_report.json in HDFS; its peak RSS
 * from /proc. Beside it, in the same run and on the same raw files copied to local disk:
 * DuckDB (2 threads) doing the same cleaning, queries and write (bench/python/etl_duckdb.py),
 * and, unless quick, PySpark local[2] running the study's ETL (bench/python/etl_pyspark.py).
 * Needs the local stack and the bench venv (`LAKE_VENV=.cache/venv-bench node
 * scripts/python-env.mjs bench/python/requirements-bench.txt`).
 * Run: `node bench/dist/etl.js [--quick]` or `npm run bench etl`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LakeConfig, loadConfig } from '@lakestream/config';
import { LakePaths, sleep } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { type BatchManifestFile, publishSynthetic } from '@lakestream/publish';
import { Kafka, logLevel } from 'kafkajs';
import { connectLakeProducer } from './lake-producer';
import { type DirectRun, runDirectEtl } from './etl-direct';
import { summarise, writeResult } from './results';
import { anchorPython } from './python';

const root = join(__dirname, '..', '..');
const GROUP = 'lake-etl';

interface EtlReport {
  rowsIn: number;
  rowsOut: number;
  seconds: number;
  quality: { duplicatesRemoved: number; futureSignupDates: number };
  topEarners: { id: number; salary: number }[];
}

interface ServiceRun {
  consumers: number;
  rows: number;
  publishSeconds: number;
  /** The service's consumers up (the batch's descriptors already waiting) → etl_report.json present. */
  wallSeconds: number;
  /** The same from the process's start (Nest, Kafka group join). */
  wallSecondsFromStart: number;
  /** The report's own: first partition started → last partition finished. */
  reportSeconds: number;
  rowsPerSecond: number;
  /** The etl process's peak resident memory (all its consumer threads together). */
  peakRssMB: number;
  peakRssPerConsumerMB: number;
  rowsOut: number;
  /** Other consumers in the group when the batch was published, and when its report appeared: they take part of the batch. */
  foreignGroupMembers: number;
  foreignGroupMembersAfter: number;
  /** read (HDFS + sha256 + Parquet decode), clean (convert, clean, summarise, encode), write (HDFS), summed over partitions. */
  partitionTimingsMs: { readMs: number; cleanMs: number; writeMs: number };
}

/** Members of the ETL consumer group, as the broker sees them, and whether it has settled. */
async function groupMembers(config: LakeConfig): Promise<{ members: number; stable: boolean }> {
  const admin = new Kafka({
    clientId: 'lake-bench',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([GROUP]);
    const group = groups[0];
    return {
      members: group?.members.length ?? 0,
      stable: group?.state === 'Stable' || group?.state === 'Empty',
    };
  } finally {
    await admin.disconnect();
  }
}

/** Current and peak resident set of a process, in MB (from /proc; 0 when gone). */
function rssOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export async function runEtlBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const rows = quick ? 400_000 : 30_000_000;
  const partitions = quick ? 4 : 30;
  // The study's data (5M rows repeated: duplicates to drop) at full size; the described profile with quirks when quick.
  const generator = quick
    ? ({ profile: 'described', quirks: true } as const)
    : ({ profile: 'study' } as const);
  // 4 consumers on the same 2 cores as well: shows how much of the wall is waiting on HDFS rather than CPU.
  const consumerCounts = quick ? [2] : [2, 1, 4];
  // Rounds interleave the consumer counts, so a drift in the machine's load touches all of them;
  // each count's figure is its median run, with the spread beside it.
  const rounds = quick ? 1 : 3;
  const schedule = Array.from({ length: rounds }, (_, r) =>
    consumerCounts.map((c) => ({ consumers: c, round: r })),
  ).flat();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig({ home: root });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const paths = new LakePaths(config.hdfs.lakeRoot);
  const dataset = `bench-etl-${randomUUID().slice(0, 8)}`;
  const local = mkdtempSync(join(tmpdir(), 'lake-bench-etl-'));
  // The batch is published before the service starts, so on a fresh stack no service has created the topics yet.
  const producer = await connectLakeProducer(config);
  const runs: ServiceRun[] = [];
  // The stack's floor for any file write (a consumer writes two per partition: clean file, partial).
  const smallWrites: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    await hdfs.createExclusive(`${paths.dataset(dataset)}/_probe/${i}.json`, '{}');
    smallWrites.push(Date.now() - t);
  }
  const hdfsSmallWriteMs = summarise(smallWrites);
  let rawBatch = '';
  try {
    for (const { consumers, round: r } of schedule) {
      const foreign = (await groupMembers(config)).members;
      if (foreign > 0)
        log(
          `WARNING: ${foreign} other consumer(s) in group ${GROUP} will take part of this batch: figures are not ours alone`,
        );
      const port = await freePort();
      const configFile = join(local, `lake.config-${consumers}-${r}.json`);
      writeFileSync(
        configFile,
        JSON.stringify({ http: { ...config.http, ports: { ...config.http.ports, etl: port } } }),
      );
      // The batch is published first, while no consumer runs: the timing then covers the ETL
      // alone, from raw descriptors waiting in Kafka to the report (a publisher generating and
      // encoding 30M rows on the same two cores would otherwise set the pace).
      const batch = `c${consumers}-r${r}`;
      const t0 = Date.now();
      await publishSynthetic(
        { hdfs, producer, paths, rawTopicPartitions: config.kafka.topicPartitions },
        { dataset, batch, rows, partitions, workers: 2, seed: 42, ...generator },
      );
      const published = Date.now();
      const child = spawn(
        process.execPath,
        [join(root, 'cli', 'bin', 'lake.js'), 'serve', 'etl', '--concurrency', String(consumers)],
        {
          cwd: root,
          env: { ...process.env, LAKE_CONFIG: configFile, LAKE_LOG_LEVEL: 'info' },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      // Its consumers are up once it logs so (pino JSON on stdout); the rest of its log is dropped.
      let consumingAt = 0;
      child.stdout!.on('data', (chunk: Buffer) => {
        if (!consumingAt && chunk.toString('utf8').includes('etl workers consuming'))
          consumingAt = Date.now();
      });
      try {
        let peak = 0;
        const reportPath = `${paths.reports(dataset, batch)}/etl_report.json`;
        const deadline = published + (quick ? 120_000 : 900_000);
        while (!(await hdfs.exists(reportPath))) {
          peak = Math.max(peak, rssOf(child.pid!).rss);
          if (child.exitCode !== null) throw new Error(`lake serve etl exited with ${child.exitCode}`);
          if (Date.now() > deadline) throw new Error(`no etl report for ${dataset}/${batch} in time`);
          await sleep(100);
        }
        const done = Date.now();
        const sent = consumingAt || published;
        const wallSeconds = (done - sent) / 1000;
        peak = Math.max(peak, rssOf(child.pid!).hwm);
        // Where the consumers' time went, from the partials they wrote (ms summed over partitions).
        const timings = { readMs: 0, cleanMs: 0, writeMs: 0 };
        for (let p = 0; p < partitions; p++) {
          const partial = JSON.parse(
            Buffer.from(
              await hdfs.readFile(paths.partial(dataset, batch, p), { maxBytes: 4 << 20 }),
            ).toString('utf8'),
          ) as { timings: typeof timings };
          for (const k of Object.keys(timings) as (keyof typeof timings)[]) timings[k] += partial.timings[k];
        }
        const report = JSON.parse(
          Buffer.from(await hdfs.readFile(reportPath, { maxBytes: 16 << 20 })).toString('utf8'),
        ) as EtlReport;
        runs.push({
          consumers,
          rows: report.rowsIn,
          publishSeconds: (published - t0) / 1000,
          wallSeconds,
          wallSecondsFromStart: (done - published) / 1000,
          reportSeconds: report.seconds,
          rowsPerSecond: Math.round(report.rowsIn / wallSeconds),
          peakRssMB: Math.round(peak),
          peakRssPerConsumerMB: Math.round(peak / consumers),
          rowsOut: report.rowsOut,
          foreignGroupMembers: foreign,
          foreignGroupMembersAfter: (await groupMembers(config)).members - consumers,
          partitionTimingsMs: timings,
        });
        if (!rawBatch) rawBatch = batch;
        // Later rounds' batches go once measured: one 30M-row batch is kept for the anchors.
        else
          for (const dir of [paths.cleanBatch(dataset, batch), paths.rawBatch(dataset, batch)])
            await hdfs.delete(dir, { recursive: true }).catch(() => false);
        log(
          `etl ${consumers} consumer(s): ${wallSeconds.toFixed(1)} s wall (report ${report.seconds.toFixed(1)} s), peak RSS ${peak.toFixed(0)} MB; partitions' read/clean/write ms summed ${JSON.stringify(timings)}`,
        );
      } finally {
        await stop(child);
      }
    }

    // The anchors on the same raw files, on local disk.
    const manifest = JSON.parse(
      Buffer.from(await hdfs.readFile(paths.manifest(dataset, rawBatch), { maxBytes: 16 << 20 })).toString(
        'utf8',
      ),
    ) as BatchManifestFile;
    const rawDir = join(local, 'raw');
    mkdirSync(rawDir);
    for (const f of manifest.files)
      writeFileSync(
        join(rawDir, `part-${String(f.partition).padStart(5, '0')}.parquet`),
        await hdfs.readFile(f.path, { maxBytes: f.bytes + 1 }),
      );
    const nowUs = String(manifest.createdAt * 1000);
    const python = (script: string, args: string[]) =>
      JSON.parse(
        execFileSync(anchorPython({ spark: !quick }), [join(root, 'bench', 'python', script), ...args], {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
          stdio: ['ignore', 'pipe', 'ignore'],
        })
          .trim()
          .split('\n')
          .pop()!,
      );
    // Our partition pipeline on the same local files, with no other consumer taking part.
    const direct: DirectRun[] = [];
    for (const threads of quick ? [2] : [2, 1]) {
      const run = await runDirectEtl(rawDir, join(local, `direct-${threads}`), threads, nowUs);
      direct.push(run);
      log(
        `direct ${threads} thread(s), local files: ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMB} MB, ms ${JSON.stringify(run.ms)}`,
      );
    }
    const duckWall: number[] = [];
    let duck: { seconds: number; rowsIn: number; rowsOut: number; futureSignupDates: number } | undefined;
    // Three runs, compared at its fastest: on a shared machine a slow run is the machine, not DuckDB.
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      const t = Date.now();
      duck = python('etl_duckdb.py', [
        rawDir,
        join(local, 'duckdb-out'),
        '--threads',
        '2',
        '--now-us',
        nowUs,
      ]);
      duckWall.push((Date.now() - t) / 1000);
    }
    let spark: { seconds: number; secondsWithStartup: number; sparkStartupSeconds: number } | undefined;
    let sparkWall = 0;
    if (!quick) {
      const t = Date.now();
      spark = python('etl_pyspark.py', [rawDir, join(local, 'spark-out'), '--cores', '2']);
      sparkWall = (Date.now() - t) / 1000;
    }

    // Per consumer count: the median run (by wall time), with every run's spread.
    const medianRuns = consumerCounts.map((c) => {
      const mine = runs.filter((r) => r.consumers === c).sort((a, b) => a.wallSeconds - b.wallSeconds);
      return {
        ...mine[Math.floor((mine.length - 1) / 2)]!,
        wallSecondsRuns: summarise(mine.map((m) => m.wallSeconds)),
      };
    });
    const ours = medianRuns.find((r) => r.consumers === 2)!;
    const one = medianRuns.find((r) => r.consumers === 1);
    const duckSeconds = summarise(duck ? duckWall : [0]);
    if (duck!.rowsOut !== ours.rowsOut)
      throw new Error(`rows out differ: ours ${ours.rowsOut}, DuckDB ${duck!.rowsOut}`);
    const round = (x: number) => Math.round(x * 100) / 100;
    const results = {
      rows,
      partitions,
      generator,
      note: quick
        ? 'quick: small sizes, one run each, no PySpark'
        : `${rounds} rounds of each consumer count at full size (each run publishes its own 30M-row batch), interleaved; ours: the median run of each count; DuckDB 3 runs (compared at its fastest), PySpark once`,
      ours: medianRuns,
      allRuns: runs,
      direct,
      hdfsSmallWriteMs,
      duckdb: {
        wallSeconds: duckSeconds,
        ...duck,
        threads: 2,
        storage: 'local copies of the same raw files',
      },
      pyspark: spark ? { wallSeconds: sparkWall, ...spark, master: 'local[2]' } : undefined,
      ratios: {
        oursOverDuckdb: round(ours.wallSeconds / duckSeconds.min),
        directOverDuckdb: round(direct[0]!.seconds / duckSeconds.min),
        pysparkOverDirect: spark ? round(spark.seconds / direct[0]!.seconds) : undefined,
        directTwoThreadsOverOne: direct[1] ? round(direct[1].seconds / direct[0]!.seconds) : undefined,
        pysparkOverOurs: spark ? round(spark.seconds / ours.wallSeconds) : undefined,
        pysparkWithStartupOverOurs: spark ? round(sparkWall / ours.wallSeconds) : undefined,
        twoConsumersOverOne: one ? round(one.wallSeconds / ours.wallSeconds) : undefined,
      },
      targets: {
        wall: '30M rows, 30 partitions, 2 consumers on 2 cores ≤ 15 s',
        pyspark: '≥ 3× faster than PySpark local[2]',
        duckdb: 'within 1.5× of DuckDB',
        memory: 'peak RSS per consumer ≤ 1 GiB',
        scaling: '1 → 2 consumers ≥ 1.8× throughput',
      },
    };
    log(
      `etl ${rows} rows in ${partitions} partitions (${generator.profile}); one small HDFS write takes ${hdfsSmallWriteMs.median} ms:`,
    );
    const line = (what: string, seconds: number, extra = '') =>
      log(
        `  ${what.padEnd(40)} ${seconds.toFixed(1).padStart(7)}  ${(seconds / duckSeconds.min).toFixed(2).padStart(9)}  ${spark ? (spark.seconds / seconds).toFixed(2).padStart(11) : '          -'}  ${extra}`,
      );
    log(
      `  ${'what'.padEnd(40)} ${'seconds'.padStart(7)}  ${'÷ DuckDB'.padStart(9)}  ${'PySpark ÷ it'.padStart(11)}`,
    );
    for (const r of medianRuns)
      line(
        `ours: lake serve etl, ${r.consumers} consumer(s)`,
        r.wallSeconds,
        `median of ${r.wallSecondsRuns.runs} (${r.wallSecondsRuns.min.toFixed(1)}–${r.wallSecondsRuns.max.toFixed(1)} s), report ${r.reportSeconds.toFixed(1)} s, peak RSS ${r.peakRssMB} MB, ${r.foreignGroupMembers} foreign consumers`,
      );
    for (const d of direct)
      line(
        `ours: partition pipeline, ${d.threads} thread(s)`,
        d.seconds,
        `local files, peak RSS ${d.peakRssMB} MB`,
      );
    line('DuckDB, 2 threads', duckSeconds.min, `local files, fastest of ${duckWall.length}`);
    if (spark) line('PySpark local[2]', spark.seconds, `${sparkWall.toFixed(1)} s with start-up`);
    log(`results: ${writeResult(quick ? 'etl-quick' : 'etl', results)}`);
    return results;
  } finally {
    await producer.disconnect();
    rmSync(local, { recursive: true, force: true });
    await hdfs.delete(paths.dataset(dataset), { recursive: true }).catch(() => false);
    hdfs.close();
  }
}

if (require.main === module) {
  runEtlBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** A port nothing listens on right now (bound, then released), for the child's HTTP side. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
