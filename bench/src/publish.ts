/**
 * Ingest of a synthetic batch through our stack: rows generated and encoded as Parquet on
 * worker threads, uploaded to HDFS with atomic writes (publishSynthetic, as `lake publish`
 * does, without the Kafka descriptors so no ETL consumer starts on them). Beside it, in the
 * same run: where one partition's time goes, and DuckDB generating and writing the same rows
 * as Parquet to a local folder (no HDFS) on the same threads. Needs the local stack.
 * Run: `node bench/dist/publish.js [--quick]` or `npm run bench publish`.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParquet } from '@lakestream/columnar';
import { loadConfig } from '@lakestream/config';
import { LakePaths } from '@lakestream/core';
import { generatePartition } from '@lakestream/dataset';
import { HdfsClient } from '@lakestream/hdfs';
import { partitionToArrow, type PublishDeps, publishSynthetic } from '@lakestream/publish';
import { summarise, writeResult } from './results';
import { anchorPython } from './python';

const root = join(__dirname, '..', '..');
const THREADS = 2;

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function runPublishBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const rows = quick ? 400_000 : 30_000_000;
  const partitions = quick ? 4 : 30;
  const runs = quick ? 1 : 2;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig({ home: root });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const dataset = `bench-publish-${randomUUID().slice(0, 8)}`;
  const paths = new LakePaths(config.hdfs.lakeRoot);
  const local = mkdtempSync(join(tmpdir(), 'lake-bench-publish-'));
  try {
    // Where one partition's time goes, on this thread (each encoding worker does the same).
    const stages = { generateMs: [] as number[], arrowMs: [] as number[], encodeMs: [] as number[] };
    const more = { sha256Ms: [] as number[], uploadMs: [] as number[] };
    let partBytes = 0;
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      let t = process.hrtime.bigint();
      const columns = generatePartition({
        rows: rows / partitions,
        partitions: 1,
        partition: 0,
        referenceDate: '2026-01-01',
      });
      stages.generateMs.push(ms(t));
      t = process.hrtime.bigint();
      const table = partitionToArrow(columns);
      stages.arrowMs.push(ms(t));
      t = process.hrtime.bigint();
      const bytes = writeParquet(table, { compression: 'snappy' });
      stages.encodeMs.push(ms(t));
      partBytes = bytes.byteLength;
      t = process.hrtime.bigint();
      createHash('sha256').update(bytes).digest('hex');
      more.sha256Ms.push(ms(t));
      t = process.hrtime.bigint();
      await hdfs.writeAtomically(`${paths.dataset(dataset)}/_stages/part-${r}.parquet`, bytes);
      more.uploadMs.push(ms(t));
    }
    const partition = Object.fromEntries(
      Object.entries({ ...stages, ...more }).map(([k, v]) => [k, summarise(v)]),
    );

    // Descriptors are not sent: this measures ingest into HDFS, not the ETL it would start.
    const producer = { send: async () => undefined } as unknown as PublishDeps['producer'];
    const wall: number[] = [];
    let bytes = 0;
    for (let r = 0; r < runs; r++) {
      const t = process.hrtime.bigint();
      const result = await publishSynthetic(
        { hdfs, producer, paths },
        { dataset, batch: `run${r}`, rows, partitions, workers: THREADS },
      );
      wall.push(ms(t) / 1000);
      bytes = result.bytes;
      if (result.rows !== rows) throw new Error(`published ${result.rows} rows of ${rows}`);
    }
    const ours = summarise(wall);

    const duck = JSON.parse(
      execFileSync(
        anchorPython(),
        [
          join(root, 'bench', 'python', 'publish_duckdb.py'),
          join(local, 'duckdb'),
          String(rows),
          String(partitions),
          '--threads',
          String(THREADS),
        ],
        { encoding: 'utf8' },
      ).trim(),
    ) as { seconds: number; bytes: number; version: string };

    const results = {
      rows,
      partitions,
      threads: THREADS,
      runs,
      note: quick
        ? 'quick: small sizes, one run'
        : `${runs} runs at ${rows} rows (each about half a minute); medians with min..max`,
      ours: {
        seconds: ours,
        rowsPerSecond: Math.round(rows / ours.median),
        bytes,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        target: 'ingest of 30M rows as 30 partitions ≤ 20 s on 2 cores',
      },
      onePartition: { rows: rows / partitions, bytes: partBytes, ...partition },
      duckdb: { ...duck, storage: 'local disk (no HDFS upload)' },
      ratios: { oursOverDuckdb: Math.round((ours.median / duck.seconds) * 100) / 100 },
    };
    const f = (s: { median: number }) => s.median.toFixed(0).padStart(6);
    log(`publish ${rows} rows in ${partitions} partitions, ${THREADS} threads:`);
    log('  what                         seconds    rows/s');
    log(
      `  ours → HDFS                  ${ours.median.toFixed(1).padStart(7)}  ${results.ours.rowsPerSecond}  (${ours.min.toFixed(1)}..${ours.max.toFixed(1)})`,
    );
    log(
      `  DuckDB → local disk          ${duck.seconds.toFixed(1).padStart(7)}  ${Math.round(rows / duck.seconds)}  ratio ours/DuckDB ${results.ratios.oursOverDuckdb}`,
    );
    log(
      `  one partition (ms): generate ${f(summarise(stages.generateMs))} arrow ${f(summarise(stages.arrowMs))} encode ${f(summarise(stages.encodeMs))} sha256 ${f(summarise(more.sha256Ms))} upload ${f(summarise(more.uploadMs))}`,
    );
    log(`results: ${writeResult(quick ? 'publish-quick' : 'publish', results, { duckdb: duck.version })}`);
    return results;
  } finally {
    rmSync(local, { recursive: true, force: true });
    await hdfs.delete(paths.dataset(dataset), { recursive: true }).catch(() => false);
    hdfs.close();
  }
}

if (require.main === module) {
  runPublishBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
