import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenches } from '@lakestream/bench';

// The benchmarks' quick mode, so the harness cannot rot: small sizes, real anchors, real stack.
test('quick benchmarks run against their anchors and report the figures they promise', async () => {
  const results = (await runBenches(
    ['generate', 'columnar', 'forest', 'hdfs-parquet', 'publish', 'etl'],
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
  const etl = results.etl as {
    ours: { rows: number; rowsOut: number; wallSeconds: number }[];
    duckdb?: { rowsOut?: number };
  };
  assert.ok(
    etl.ours.length > 0 && etl.ours.every((r) => r.wallSeconds > 0 && r.rowsOut > 0 && r.rowsOut <= r.rows),
  );
});
