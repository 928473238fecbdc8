/**
 * The whole demo end to end at the study's size: `lake demo --rows 30000000 --json` on the
 * local stack (publish, ETL, halving search, backfill prediction, a new batch scored by the
 * service), with the time of each stage from its own summary.
 * Run: `node bench/dist/demo.js [--quick]` or `npm run bench demo`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeResult } from './results';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

export async function runDemoBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const rows = quick ? 200_000 : 30_000_000;
  const started = Date.now();
  const { stdout } = await run(
    process.execPath,
    [
      join(root, 'cli', 'bin', 'lake.js'),
      'demo',
      '--rows',
      String(rows),
      '--dataset',
      `bench-demo`,
      '--model',
      'bench-demo',
      '--json',
    ],
    { cwd: root, maxBuffer: 64 << 20, timeout: 60 * 60_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  const d = JSON.parse(stdout);
  const results = {
    rows,
    seconds,
    stages: {
      stackSeconds: d.stack?.seconds,
      publishSeconds: d.publish?.seconds,
      etlSeconds: d.etl?.seconds,
      trainSeconds: d.training?.seconds,
      predictSeconds: d.predictions?.backfill?.seconds,
      continuousPredictSeconds: d.predictions?.continuous?.seconds,
    },
    training: {
      search: d.training?.search,
      bestParams: d.training?.bestParams,
      testMse: d.training?.testMse,
      noiseVariance: d.training?.noiseVariance,
      testMseOverNoise: d.training?.noiseVariance ? d.training.testMse / d.training.noiseVariance : null,
    },
    predictions: {
      rows: d.predictions?.backfill?.rows,
      rowsPerSecond: d.predictions?.backfill?.rowsPerSecond,
    },
    note: quick ? 'quick: 200k rows' : 'one run at the study size',
  };
  process.stderr.write(
    `demo ${rows} rows end to end: ${seconds.toFixed(1)} s ${JSON.stringify(results.stages)}\n`,
  );
  const file = writeResult(quick ? 'demo-quick' : 'demo', results);
  process.stderr.write(`results: ${file}\n`);
  return results;
}

if (require.main === module) {
  runDemoBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
