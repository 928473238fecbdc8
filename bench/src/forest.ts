/**
 * Random forest: @lakestream/forest against scikit-learn's RandomForestRegressor, same data,
 * same machine, same cores, each fit in its own process (peak RSS per side).
 * Workloads: (1) the study's data, 100 trees, max_depth 10 — target: fit ≤ 0.5× scikit-learn
 * (n_jobs=2), test MSE ≤ 1.01 × noise variance; (2) the study's grid corner max_depth None,
 * min_samples_split 2 — time and peak memory; (3) a wider table, 10 numeric features — fit ≤ 1×
 * scikit-learn at equal or better MSE, predict ≥ 2× its rows/s per core.
 * Ends by printing one JSON line (the first workload's figures plus the others).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchData, studyData, wideData, writeBenchData } from './forest-data';
import { writeResult } from './results';
import { anchorPython } from './python';

interface Side {
  fitSeconds: number;
  predictSeconds: number;
  predictRowsPerSecPerCore: number;
  testMse: number;
  nodes: number;
  peakRssMiB: number;
  rssBeforeFitMiB: number;
  sklearnVersion?: string;
  numpyVersion?: string;
}

interface Workload {
  name: string;
  data: () => BenchData;
  trees: number;
  maxDepth: number | null;
  minSamplesSplit: number;
  /** More seeds for our side only (cheap): the seed-to-seed spread of the test MSE. */
  extraSeeds?: number[];
}

const root = join(__dirname, '..', '..');

function runJson(cmd: string, args: string[]): Side {
  const out = execFileSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

async function runWorkload(w: Workload, dir: string, nJobs: number) {
  const data = w.data();
  writeBenchData(dir, data);
  const runOurs = (randomState: number) =>
    runJson(process.execPath, [
      join(__dirname, 'forest-run.js'),
      dir,
      JSON.stringify({
        nEstimators: w.trees,
        maxDepth: w.maxDepth,
        minSamplesSplit: w.minSamplesSplit,
        randomState,
        nJobs,
      }),
    ]);
  const ours = runOurs(42);
  const seedMse = [ours.testMse, ...(w.extraSeeds ?? []).map((seed) => runOurs(seed).testMse)];
  const sklearn = runJson(anchorPython(), [
    join(root, 'bench', 'python', 'forest_sklearn.py'),
    dir,
    JSON.stringify({
      n_estimators: w.trees,
      max_depth: w.maxDepth,
      min_samples_split: w.minSamplesSplit,
      n_jobs: nJobs,
      random_state: 42,
    }),
  ]);
  const r = {
    workload: w.name,
    rows: data.nTrain,
    testRows: data.nTest,
    features: data.features,
    formula: data.formula,
    params: { nEstimators: w.trees, maxDepth: w.maxDepth, minSamplesSplit: w.minSamplesSplit, nJobs },
    noiseVariance: data.noiseVariance,
    ours,
    sklearn,
    fitRatio: ours.fitSeconds / sklearn.fitSeconds,
    mseRatio: ours.testMse / sklearn.testMse,
    predictSpeedup: ours.predictRowsPerSecPerCore / sklearn.predictRowsPerSecPerCore,
    testMseOverNoise: ours.testMse / data.noiseVariance,
    ourTestMseBySeed: {
      seeds: [42, ...(w.extraSeeds ?? [])],
      testMse: seedMse,
      mean: seedMse.reduce((a, b) => a + b, 0) / seedMse.length,
    },
    sklearnTestMseOverNoise: sklearn.testMse / data.noiseVariance,
  };
  process.stderr.write(
    `${w.name.padEnd(28)} fit ${ours.fitSeconds.toFixed(2)} s vs sklearn ${sklearn.fitSeconds.toFixed(2)} s (×${r.fitRatio.toFixed(3)}); ` +
      `MSE/noise ${r.testMseOverNoise.toFixed(4)} vs ${r.sklearnTestMseOverNoise.toFixed(4)}; ` +
      `predict ${(ours.predictRowsPerSecPerCore / 1e6).toFixed(2)} vs ${(sklearn.predictRowsPerSecPerCore / 1e6).toFixed(2)} M rows/s/core; ` +
      `peak RSS ${ours.peakRssMiB.toFixed(0)} vs ${sklearn.peakRssMiB.toFixed(0)} MiB\n`,
  );
  return r;
}

export async function runForestBench(opts: { quick?: boolean; only?: string[] } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const nJobs = 2;
  const study = quick ? 20_000 : 1_000_000;
  const studyTest = quick ? 5_000 : 250_000;
  const wide = quick ? 20_000 : 1_000_000;
  const wideTest = quick ? 5_000 : 200_000;
  const trees = quick ? 10 : 100;
  const workloads: Workload[] = [
    {
      name: 'study-depth10',
      data: () => studyData(study, studyTest),
      trees,
      maxDepth: 10,
      minSamplesSplit: 2,
    },
    {
      name: 'study-depthNone-split2',
      data: () => studyData(study, studyTest),
      trees,
      maxDepth: null,
      minSamplesSplit: 2,
    },
    {
      name: 'wide10-depth10',
      data: () => wideData(wide, wideTest),
      trees: quick ? 5 : 20,
      maxDepth: 10,
      minSamplesSplit: 2,
      extraSeeds: [1, 7],
    },
  ].filter((w) => !opts.only || opts.only.includes(w.name));
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-forest-'));
  const results = [];
  try {
    for (const w of workloads) results.push(await runWorkload(w, join(dir, w.name), nJobs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const first = results[0];
  const line = {
    bench: 'forest',
    quick,
    workload: first.workload,
    fitSeconds: first.ours.fitSeconds,
    sklearnFitSeconds: first.sklearn.fitSeconds,
    predictRowsPerSecPerCore: first.ours.predictRowsPerSecPerCore,
    sklearnPredictRowsPerSecPerCore: first.sklearn.predictRowsPerSecPerCore,
    testMse: first.ours.testMse,
    sklearnTestMse: first.sklearn.testMse,
    noiseVariance: first.noiseVariance,
    peakRssMiB: first.ours.peakRssMiB,
    sklearnPeakRssMiB: first.sklearn.peakRssMiB,
    others: results.slice(1).map((r) => ({
      workload: r.workload,
      fitSeconds: r.ours.fitSeconds,
      sklearnFitSeconds: r.sklearn.fitSeconds,
      predictRowsPerSecPerCore: r.ours.predictRowsPerSecPerCore,
      sklearnPredictRowsPerSecPerCore: r.sklearn.predictRowsPerSecPerCore,
      testMse: r.ours.testMse,
      testMseMeanOverSeeds: r.ourTestMseBySeed.mean,
      sklearnTestMse: r.sklearn.testMse,
      noiseVariance: r.noiseVariance,
      peakRssMiB: r.ours.peakRssMiB,
      sklearnPeakRssMiB: r.sklearn.peakRssMiB,
    })),
  };
  const file = writeResult(
    quick ? 'forest-quick' : 'forest',
    { quick, workloads: results, summary: line },
    {
      sklearn: first.sklearn.sklearnVersion ?? 'unknown',
      numpy: first.sklearn.numpyVersion ?? 'unknown',
    },
  );
  process.stderr.write(`results: ${file}\n`);
  console.log(JSON.stringify(line));
  return line;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const only = args.filter((a) => !a.startsWith('--'));
  runForestBench({ quick: args.includes('--quick'), only: only.length ? only : undefined }).catch(
    (e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exitCode = 1;
    },
  );
}
