import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '@lakestream/testkit';

const run = promisify(execFile);
const lake = (...args: string[]) =>
  run(process.execPath, [join(repoRoot(), 'cli', 'bin', 'lake.js'), ...args], { maxBuffer: 64 << 20 });

interface Row {
  id: number;
  full_name: string;
  age: number;
  salary: number;
  signup_date: number;
  is_active: boolean;
}

test('lake demo runs publish → ETL → report → train → predict end to end and prints a JSON summary', async () => {
  const { stdout } = await lake('demo', '--rows', '150000', '--json');
  const summary = JSON.parse(stdout) as {
    publish: {
      batch: string;
      dataset: string;
      partitions: number;
      rows: number;
      bytes: number;
      seconds: number;
    };
    etl: {
      rowsIn: number;
      rowsOut: number;
      seconds: number;
      topEarners: Row[];
      youngestActive: Row[];
      oldestActive: Row[];
    };
    hdfs: Record<string, string>;
    training: {
      model: string;
      version: number;
      search: string;
      bestParams: Record<string, unknown>;
      testMse: number;
      noiseVariance: number | null;
      leaderboard: unknown[];
    };
    predictions: {
      backfill: { rows: number; mse: number | null; version: number; partitions: number };
      continuous: { rows: number; version: number; batch: string };
      newBatch: { batch: string; rows: number };
    };
  };
  assert.equal(summary.publish.dataset, 'employees');
  assert.ok(summary.publish.rows >= 150_000, 'quirks add duplicated rows on top of the distinct ids');
  assert.equal(summary.etl.rowsIn, summary.publish.rows);
  assert.ok(summary.etl.rowsOut < summary.etl.rowsIn, 'the demo batch has dirt that the ETL removes');
  assert.equal(summary.etl.topEarners.length, 10);
  assert.equal(summary.etl.youngestActive.length, 5);
  assert.equal(summary.etl.oldestActive.length, 5);
  for (const r of [...summary.etl.topEarners, ...summary.etl.youngestActive]) {
    assert.deepEqual(Object.keys(r).sort(), ['age', 'full_name', 'id', 'is_active', 'salary', 'signup_date']);
  }
  assert.match(summary.hdfs.clean!, new RegExp(`/employees/clean/batch=${summary.publish.batch}$`));

  // Training: the study's grid (8 candidates), a model close to the noise floor of the generator.
  const t = summary.training;
  assert.equal(t.search, 'grid');
  assert.equal(t.leaderboard.length, 8);
  assert.ok(t.noiseVariance !== null && t.noiseVariance > 0);
  assert.ok(t.testMse / t.noiseVariance! < 1.1, `test MSE ${t.testMse} vs noise ${t.noiseVariance}`);
  assert.match(summary.hdfs.model!, new RegExp(`/models/${t.model}/v${t.version}$`));
  // Prediction: the first batch backfilled row for row, the new batch scored by the service alone.
  const p = summary.predictions;
  assert.equal(p.backfill.rows, summary.etl.rowsOut);
  assert.equal(p.backfill.version, t.version);
  assert.ok(p.backfill.mse !== null && p.backfill.mse < 1.1 * t.noiseVariance!);
  assert.equal(p.continuous.batch, p.newBatch.batch);
  assert.equal(p.continuous.version, t.version);
  assert.ok(p.continuous.rows > 0 && p.continuous.rows <= p.newBatch.rows);

  // The same report through `lake report --json`, whose field names scripts depend on.
  const { stdout: reportJson } = await lake('report', summary.publish.batch, '--json');
  const report = JSON.parse(reportJson);
  for (const key of ['rowsIn', 'rowsOut', 'seconds', 'topEarners', 'youngestActive', 'oldestActive'])
    assert.ok(key in report, key);
  assert.deepEqual(report.topEarners, summary.etl.topEarners);
});

test('lake publish --json prints the fields scripts depend on, and re-publishing the same batch is a no-op', async () => {
  const batch = `cli${Date.now()}`;
  const args = [
    'publish',
    '--synthetic',
    '--rows',
    '20000',
    '--dataset',
    'clitest',
    '--batch',
    batch,
    '--seed',
    '3',
    '--reference-date',
    '2026-01-01',
    '--json',
  ];
  const first = JSON.parse((await lake(...args)).stdout);
  for (const key of ['batch', 'dataset', 'partitions', 'rows', 'bytes', 'seconds'])
    assert.ok(key in first, key);
  assert.equal(first.batch, batch);
  assert.equal(first.rows, 20_000);
  assert.equal(first.outcome, 'published');
  const again = JSON.parse((await lake(...args)).stdout);
  assert.equal(again.outcome, 'unchanged');
  const conflict = await lake(...args.map((a) => (a === '3' ? '4' : a))).then(
    () => assert.fail('different content under the same batch id must be refused'),
    (error: { stderr: string; code: number }) => error,
  );
  assert.equal(conflict.code, 1);
  assert.match(
    conflict.stderr,
    new RegExp(`batch ${batch} of dataset clitest was already published with different content`),
  );
});
