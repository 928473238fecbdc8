import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenches } from '@lakestream/bench';

// The benchmarks' quick mode, so the harness cannot rot: small sizes, real anchors, real stack.
test('quick benchmarks run against their anchors and report the figures they promise', async () => {
  const results = (await runBenches(
    ['generate', 'columnar', 'forest', 'hdfs-parquet', 'publish', 'etl', 'train', 'predict'],
    true,
  )) as Record<string, Record<string, unknown>>;
  // The forest bench's last line: the fields `npm run bench -- forest` promises.
  const forest = results.forest as Record<string, number>;
  for (const key of [
    'fitSeconds',
    'sklearnFitSeconds',
    'predictRowsPerSecPerCore',
    'sklearnPredictRowsPerSecPerCore',
    'testMse',
    'sklearnTestMse',
    'noiseVariance',
  ]) {
    assert.ok(Number.isFinite(forest[key]) && forest[key]! > 0, `${key}: ${forest[key]}`);
  }
  assert.ok(forest.testMse! < 1.5 * forest.noiseVariance!, 'even the quick forest learns the signal');
  const hdfs = results['hdfs-parquet'] as {
    ours: { readIdSalaryBytes: number };
    fileBytes: number;
    pyarrow: { readAllMs: number };
  };
  assert.ok(hdfs.ours.readIdSalaryBytes < hdfs.fileBytes, 'two columns read fewer bytes than the file');
  assert.ok(hdfs.pyarrow.readAllMs > 0);
  assert.ok(results.columnar && results.generate);
  const predict = results.predict as {
    rows: number;
    ours: { rows: number; seconds: number; mse: number }[];
    sklearn: { rows: number; mse: number };
  };
  assert.equal(predict.ours[0]!.rows, predict.sklearn.rows, 'both scored every clean row');
  assert.ok(predict.ours[0]!.seconds > 0);
  // Two forests of the same parameters on the same rows: both at the noise floor, so close.
  assert.ok(
    Math.abs(predict.ours[0]!.mse / predict.sklearn.mse - 1) < 0.05,
    `${predict.ours[0]!.mse} vs ${predict.sklearn.mse}`,
  );
  const etl = results.etl as {
    ours: { rows: number; rowsOut: number; wallSeconds: number }[];
    duckdb?: { rowsOut?: number };
  };
  const train = results.train as {
    noiseVariance: number;
    workloads: {
      grid: { timeRatio: number; ours: { testMse: number; seconds: number }; sklearn: { testMse: number } };
      halving: { ours: { testMse: number; rungs: unknown[] } };
      scaling: { throughputRatio: number };
    };
  };
  assert.ok(train.workloads.grid.timeRatio > 0 && train.workloads.grid.ours.seconds > 0);
  assert.ok(
    train.workloads.grid.ours.testMse < 1.1 * train.noiseVariance,
    'the quick grid learns the signal',
  );
  assert.ok(train.workloads.grid.sklearn.testMse < 1.1 * train.noiseVariance);
  assert.equal(train.workloads.halving.ours.rungs.length, 3, 'halving of 8 candidates runs 3 rungs');
  assert.ok(train.workloads.scaling.throughputRatio > 0);
  assert.ok(
    etl.ours.length > 0 && etl.ours.every((r) => r.wallSeconds > 0 && r.rowsOut > 0 && r.rowsOut <= r.rows),
  );
});
