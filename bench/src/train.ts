/**
 * The trainer through the real system: `lake serve etl` cleans two published batches of the
 * `described` profile (no dirt: every row is clean), then `lake serve trainer --concurrency N`
 * runs jobs submitted with `lake train --json` (the CLI path), each timed from submission to the
 * model published in HDFS. Workloads:
 *  1. the study's grid (n_estimators [50,100] × max_depth [10, None] × min_samples_split [2,5],
 *     3-fold CV, MSE, feature age, target salary, StandardScaler, 80/20 split) on 1M clean rows,
 *     2 workers on 2 cores, against scikit-learn's GridSearchCV(n_jobs=2) on the same rows, split
 *     and folds in the same run (bench/src/train-sklearn.ts). Targets: ≤ 0.5× its time, the same
 *     best parameters (or tied configurations whose CV scores differ by less than noise), test
 *     MSE ≤ 1.01 × noise variance (age only: 103,987,949.5);
 *  2. halving search over a 30M-row batch: best test MSE ≤ 1.01 × noise variance, job ≤ 120 s;
 *  3. the grid again with 1 worker: trial throughput 1 → 2 workers ≥ 1.8×.
 * `--quick`: 20K / 90K rows and n_estimators [5, 10], so it fits in npm test.
 * Needs the local stack and the Python venv (scikit-learn). Run: `npm run bench -- train [--quick]`.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readParquetColumns } from '@lakestream/columnar';
import { loadConfig } from '@lakestream/config';
import { LakePaths, sleep } from '@lakestream/core';
import { describedProfile } from '@lakestream/dataset';
import { HdfsClient } from '@lakestream/hdfs';
import type { ModelVersionMetadata } from '@lakestream/models';
import { publishSynthetic } from '@lakestream/publish';
import { assignFolds, TEST_FOLD } from '@lakestream/tuning';
import { connectLakeProducer } from './lake-producer';
import { writeResult } from './results';
import { runSklearnGrid, type SklearnGrid } from './train-sklearn';
import { groupMembers, type RunningService, startService } from './train-services';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);
const TRIALS_GROUP = 'lake-trainer-trials';
const SEED = 42;
const CV = 3;
const TEST_FRACTION = 0.2;
/** Var(salary | age) of the described profile: the best test MSE a model of age alone can reach. */
const NOISE = describedProfile.ageOnlyVariance;

interface TrainJson {
  model: string;
  version: number;
  bestParams: Record<string, unknown>;
  cvMse: number;
  testMse: number;
  noiseVariance: number | null;
  trials: number;
  seconds: number;
}

interface JobRun {
  job: string;
  workers: number;
  search: string;
  batch: string;
  rows: number;
  /** Submission → model published, as `lake train --json` reports it. */
  seconds: number;
  /** From the model's metadata: plan → last trial result; the refit; plan → published. */
  searchSeconds: number;
  refitSeconds: number;
  totalSeconds: number;
  /** Trial results (candidate × fold) per second of search. */
  trialResults: number;
  trialsPerSecond: number;
  bestParams: Record<string, unknown>;
  bestCvMse: number;
  testMse: number;
  testMseOverNoise: number;
  trainerPeakRssMB: number;
  rungs: { rung: number; candidates: number; rowsPerFit: number }[];
  leaderboard: { rung: number; params: Record<string, unknown>; cvMse: number | null }[];
  foreignTrialWorkers: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function runTrainBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const sizes = quick
    ? { grid: 20_000, gridPartitions: 2, halving: 90_000, halvingPartitions: 3 }
    : { grid: 1_000_000, gridPartitions: 8, halving: 30_000_000, halvingPartitions: 30 };
  const grid = {
    n_estimators: quick ? [5, 10] : [50, 100],
    max_depth: [10, null],
    min_samples_split: [2, 5],
  };
  const config = loadConfig({ home: root });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const paths = new LakePaths(config.hdfs.lakeRoot);
  const id = randomUUID().slice(0, 8);
  const dataset = `bench-train-${id}`;
  const model = `bench-train-${id}`;
  const local = mkdtempSync(join(tmpdir(), 'lake-bench-train-'));
  const services: RunningService[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    // Clean batches: publish both while the ETL service runs, then stop it.
    const etl = await startService(config, {
      service: 'etl',
      concurrency: 2,
      configDir: local,
      readyLine: 'etl workers consuming',
      groups: { 'lake-etl': 2 },
    });
    services.push(etl);
    const producer = await connectLakeProducer(config);
    const prepared = Date.now();
    try {
      for (const [batch, rows, partitions] of [
        ['grid', sizes.grid, sizes.gridPartitions],
        ['halving', sizes.halving, sizes.halvingPartitions],
      ] as const) {
        await publishSynthetic(
          { hdfs, producer, paths, rawTopicPartitions: config.kafka.topicPartitions },
          { dataset, batch, rows, partitions, workers: 2, seed: SEED, profile: 'described' },
        );
      }
    } finally {
      await producer.disconnect();
    }
    for (const batch of ['grid', 'halving']) {
      const by = Date.now() + (quick ? 120_000 : 900_000);
      while (!(await hdfs.exists(`${paths.cleanBatch(dataset, batch)}/_SUCCESS`))) {
        if (Date.now() > by) throw new Error(`batch ${dataset}/${batch} was not cleaned in time`);
        await sleep(250);
      }
    }
    await etl.stop();
    services.pop();
    log(`clean batches ready in ${((Date.now() - prepared) / 1000).toFixed(1)} s (publish + ETL)`);

    const rowsIn = async (batch: string) => {
      const m = JSON.parse(
        Buffer.from(await hdfs.readFile(paths.manifest(dataset, batch), { maxBytes: 16 << 20 })).toString(
          'utf8',
        ),
      ) as { rows: number };
      return m.rows;
    };
    const spaceFile = join(local, 'grid.json');
    writeFileSync(spaceFile, JSON.stringify(grid));

    const trainJob = async (
      trainer: RunningService,
      workers: number,
      job: string,
      batch: string,
      search: 'grid' | 'halving',
    ): Promise<JobRun> => {
      const foreign = ((await groupMembers(config, [TRIALS_GROUP])).members[TRIALS_GROUP] ?? 0) - workers;
      if (foreign > 0)
        log(
          `WARNING: ${foreign} other trial worker(s) in ${TRIALS_GROUP} will take trials: figures are not ours alone`,
        );
      const args = [
        join(root, 'cli', 'bin', 'lake.js'),
        'train',
        '--dataset',
        dataset,
        '--batches',
        batch,
        '--search',
        search,
        '--space',
        spaceFile,
        '--cv',
        String(CV),
        '--test-fraction',
        String(TEST_FRACTION),
        '--seed',
        String(SEED),
        '--name',
        model,
        '--job',
        job,
        '--timeout',
        '1800',
        '--json',
      ];
      const sampler = setInterval(() => trainer.sampleRss(), 200);
      let out: TrainJson;
      try {
        out = JSON.parse((await run(process.execPath, args, { cwd: root, maxBuffer: 16 << 20 })).stdout);
      } finally {
        clearInterval(sampler);
      }
      const meta = JSON.parse(
        Buffer.from(
          await hdfs.readFile(`${paths.root}/models/${model}/v${out.version}/metadata.json`, {
            maxBytes: 64 << 20,
          }),
        ).toString('utf8'),
      ) as ModelVersionMetadata;
      const trialResults = meta.trials.reduce((s, t) => s + t.foldMse.length, 0);
      const rungs = [...new Set(meta.trials.map((t) => t.rung))].map((rung) => {
        const ts = meta.trials.filter((t) => t.rung === rung);
        return { rung, candidates: ts.length, rowsPerFit: Math.round(ts[0]!.rows / ts[0]!.foldMse.length) };
      });
      const r: JobRun = {
        job,
        workers,
        search,
        batch,
        rows: await rowsIn(batch),
        seconds: out.seconds,
        searchSeconds: meta.timings.searchSeconds,
        refitSeconds: meta.timings.refitSeconds,
        totalSeconds: meta.timings.totalSeconds,
        trialResults,
        trialsPerSecond: trialResults / meta.timings.searchSeconds,
        bestParams: meta.bestParams,
        bestCvMse: meta.bestCvMse,
        testMse: meta.test.mse,
        testMseOverNoise: meta.test.mse / NOISE,
        trainerPeakRssMB: Math.round(trainer.peakRssMB()),
        rungs,
        leaderboard: meta.trials
          .map((t) => ({ rung: t.rung, params: t.params, cvMse: t.cvMse }))
          .sort((a, b) => b.rung - a.rung || (a.cvMse ?? Infinity) - (b.cvMse ?? Infinity)),
        foreignTrialWorkers: Math.max(0, foreign),
      };
      log(
        `${search} on ${batch} (${r.rows} rows), ${workers} worker(s): ${r.seconds.toFixed(1)} s (search ${r.searchSeconds.toFixed(1)} s, refit ${r.refitSeconds.toFixed(1)} s), ` +
          `${r.trialsPerSecond.toFixed(2)} trials/s, best ${JSON.stringify(r.bestParams)}, test MSE ${r.testMse.toFixed(0)} = ${r.testMseOverNoise.toFixed(4)} × noise, peak RSS ${r.trainerPeakRssMB} MB`,
      );
      return r;
    };

    const trainer = (workers: number) =>
      startService(config, {
        service: 'trainer',
        concurrency: workers,
        configDir: local,
        readyLine: 'trainer workers consuming',
        groups: {
          [TRIALS_GROUP]: workers,
          'lake-trainer-coordinator': 1,
          'lake-trainer-jobs': 1,
        },
      });
    const two = await trainer(2);
    services.push(two);
    const grid2 = await trainJob(two, 2, `${model}-grid2`, 'grid', 'grid');
    const halving = await trainJob(two, 2, `${model}-halving`, 'halving', 'halving');
    await two.stop();
    services.pop();
    const one = await trainer(1);
    services.push(one);
    const grid1 = await trainJob(one, 1, `${model}-grid1`, 'grid', 'grid');
    await one.stop();
    services.pop();

    // The anchor on the same rows: the grid batch's clean files, and our split and folds of them.
    const files = (await hdfs.list(paths.cleanBatch(dataset, 'grid')))
      .filter((f) => f.name.endsWith('.parquet'))
      .sort((a, b) => a.name.localeCompare(b.name));
    const idParts: Float64Array[] = [];
    const localFiles: string[] = [];
    for (const f of files) {
      const bytes = await hdfs.readFile(f.path, { maxBytes: 1 << 30 });
      const file = join(local, f.name);
      writeFileSync(file, bytes);
      localFiles.push(file);
      const table = await readParquetColumns(hdfs.source(f.path), { columns: ['id'] });
      idParts.push(Float64Array.from(table.getChild('id')!.toArray() as BigInt64Array, Number));
    }
    const ids = new Float64Array(idParts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of idParts) {
      ids.set(p, at);
      at += p.length;
    }
    const folds = assignFolds(ids, CV, TEST_FRACTION, SEED);
    writeFileSync(join(local, 'ids.f64'), Buffer.from(ids.buffer));
    writeFileSync(join(local, 'folds.u8'), folds);
    const sklearn = runSklearnGrid(local, {
      files: localFiles,
      ids: join(local, 'ids.f64'),
      folds: join(local, 'folds.u8'),
      features: ['age'],
      target: 'salary',
      grid,
      seed: SEED,
      nJobs: 2,
    });
    log(
      `scikit-learn GridSearchCV(n_jobs=2): ${sklearn.seconds.toFixed(1)} s (refit ${sklearn.refitSeconds.toFixed(1)} s), best ${JSON.stringify(sklearn.bestParams)}, test MSE ${sklearn.testMse.toFixed(0)} = ${(sklearn.testMse / NOISE).toFixed(4)} × noise`,
    );
    const testRows = folds.reduce((s, f) => s + (f === TEST_FOLD ? 1 : 0), 0);
    const best = bestParamsAgreement(grid2, sklearn, ids.length - testRows);

    const results = {
      quick,
      note: quick
        ? 'quick: small sizes and n_estimators [5, 10]; one run each'
        : 'one run of each job; the machine is shared (load average before the run in `loadBefore`)',
      loadBefore,
      loadAfter: loadavg()[0]!,
      noiseVariance: NOISE,
      grid,
      workloads: {
        grid: {
          rows: grid2.rows,
          ours: grid2,
          sklearn,
          timeRatio: round(grid2.seconds / sklearn.seconds),
          bestParams: best,
          testMseOverNoise: round(grid2.testMseOverNoise, 5),
          sklearnTestMseOverNoise: round(sklearn.testMse / NOISE, 5),
        },
        halving: {
          rows: halving.rows,
          ours: halving,
          seconds: halving.seconds,
          testMseOverNoise: round(halving.testMseOverNoise, 5),
        },
        scaling: {
          one: grid1,
          two: grid2,
          throughputRatio: round(grid2.trialsPerSecond / grid1.trialsPerSecond),
          jobSecondsRatio: round(grid1.seconds / grid2.seconds),
        },
      },
      targets: {
        grid: '1M rows, 2 workers on 2 cores: ≤ 0.5× GridSearchCV(n_jobs=2) time, same best params, test MSE ≤ 1.01 × noise variance',
        halving: '30M rows: best test MSE ≤ 1.01 × noise variance, whole job ≤ 120 s',
        scaling: '1 → 2 workers: ≥ 1.8× trial throughput',
      },
      met: quick
        ? undefined
        : {
            gridTime: grid2.seconds <= 0.5 * sklearn.seconds,
            gridParams: best.same || best.tiedWithinNoise,
            gridMse: grid2.testMseOverNoise <= 1.01,
            halvingMse: halving.testMseOverNoise <= 1.01,
            halvingTime: halving.seconds <= 120,
            scaling: grid2.trialsPerSecond / grid1.trialsPerSecond >= 1.8,
          },
    };
    log(
      `train: grid ${grid2.seconds.toFixed(1)} s vs GridSearchCV ${sklearn.seconds.toFixed(1)} s (×${results.workloads.grid.timeRatio}); ` +
        `halving ${halving.rows} rows ${halving.seconds.toFixed(1)} s, MSE ${halving.testMseOverNoise.toFixed(4)} × noise; ` +
        `1 → 2 workers ×${results.workloads.scaling.throughputRatio} trials/s`,
    );
    log(
      `results: ${writeResult(quick ? 'train-quick' : 'train', results, { sklearn: sklearn.sklearnVersion, numpy: sklearn.numpyVersion })}`,
    );
    return results;
  } finally {
    for (const s of services) await s.stop();
    rmSync(local, { recursive: true, force: true });
    await hdfs.delete(paths.dataset(dataset), { recursive: true }).catch(() => false);
    await hdfs.delete(`${paths.root}/models/${model}`, { recursive: true }).catch(() => false);
    for (const j of await hdfs.list(`${paths.root}/models/_jobs`).catch(() => []))
      if (j.name.startsWith(model))
        await hdfs.delete(`${paths.root}/models/_jobs/${j.name}`, { recursive: true }).catch(() => false);
    hdfs.close();
  }
}

/**
 * Whether our best parameters are scikit-learn's; when not, how far apart the two configurations'
 * CV scores are on each side, against the sampling noise of a CV MSE over n training rows (its
 * relative standard error for Gaussian errors, √(2/n)).
 */
function bestParamsAgreement(ours: JobRun, sklearn: SklearnGrid, trainRows: number) {
  const key = (p: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(p)
        .sort()
        .map((k) => [k, p[k] ?? null]),
    );
  const same = key(ours.bestParams) === key(sklearn.bestParams);
  const ourScore = (p: Record<string, unknown>) =>
    ours.leaderboard.find((t) => key(t.params) === key(p))?.cvMse;
  const theirScore = (p: Record<string, unknown>) => sklearn.cv.find((t) => key(t.params) === key(p))?.cvMse;
  const gap = (a?: number | null, b?: number | null) =>
    a == null || b == null ? null : Math.abs(a - b) / Math.min(a, b);
  const ourGap = gap(ourScore(ours.bestParams), ourScore(sklearn.bestParams));
  const theirGap = gap(theirScore(ours.bestParams), theirScore(sklearn.bestParams));
  const noise = Math.sqrt(2 / trainRows);
  return {
    same,
    ours: ours.bestParams,
    sklearn: sklearn.bestParams,
    /** Relative CV-MSE gap between the two choices, on our side and on scikit-learn's. */
    ourRelativeGap: ourGap,
    sklearnRelativeGap: theirGap,
    relativeNoise: noise,
    tiedWithinNoise: !same && ourGap !== null && theirGap !== null && ourGap < noise && theirGap < noise,
  };
}

if (require.main === module) {
  runTrainBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
