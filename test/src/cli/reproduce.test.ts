import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, runPython, tempDir } from '@lakestream/testkit';
import { duckdbReference } from '../etl/duckdb-reference';
import { lake as lakeClients, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';

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

interface Trained {
  job: string;
  model: string;
  version: number;
  search: string;
  testMse: number;
  testR2: number;
  trainRows: number;
  testRows: number;
  noSignal: string | null;
  leaderboard: unknown[];
  seconds: number;
}

interface Reproduction {
  rows: number;
  comparableWithStudy: boolean;
  batches: { full: string; sample: string; predict: string };
  etl: {
    seconds: number;
    rowsIn: number;
    rowsOut: number;
    duplicatesRemoved: number;
    futureSignupDates: number;
    study: { runs: number[]; min: number; median: number; max: number };
  };
  query1: { rows: Row[]; rowMatches: boolean[]; matchesStudy: boolean; study: Row[] };
  query2: { youngestActive: Row[]; oldestActive: Row[]; study: { youngestActive: Row[] } };
  training: {
    sample: Trained;
    all: Trained;
    salaryVariance: number;
    study: { mse: number; seconds: number };
  };
  prediction: {
    sample: { rows: number; seconds: number; model: string };
    all: { rows: number; seconds: number; model: string };
    study: { rows: number; seconds: number };
  };
}

/** The study's Query 1 in DuckDB: drop (name, salary) duplicates keeping the lowest id, top 10 by salary. */
const STUDY_QUERY1 = `
import duckdb, json, sys
con = duckdb.connect()
rows = con.execute("""
  select id, name, age, salary, epoch_ms(signup_date), is_active from (
    select *, row_number() over (partition by name, salary order by id) as k from read_parquet(?)
  ) where k = 1 order by salary desc, id limit 10""", [json.loads(sys.argv[1])]).fetchall()
print(json.dumps([dict(id=r[0], full_name=r[1], age=r[2], salary=r[3], signup_date=r[4], is_active=r[5]) for r in rows]))
`;

const config = stackConfig();
const clients = lakeClients(config);
const dataset = uniqueName('reprotest');
const model = uniqueName('reprotest');
const jobs: string[] = [];

after(async () => {
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  const models = clients.paths.model(model, 1).replace(/\/[^/]+\/v1$/, '');
  for (const dir of [`${model}-sample`, `${model}-all`, ...jobs.map((j) => `_jobs/${j}`)])
    await clients.hdfs.delete(`${models}/${dir}`, { recursive: true }).catch(() => false);
  await clients.close();
});

test('lake reproduce runs the study small: its queries against DuckDB, training and prediction with the no-signal warning', async () => {
  // 200,000 rows as five copies of a 40,000-row chunk: duplicated like the study's 30M, in seconds.
  const { stdout } = await lake(
    'reproduce',
    '--rows',
    '200000',
    '--chunk-rows',
    '40000',
    '--dataset',
    dataset,
    '--model',
    model,
    '--json',
  );
  const r = JSON.parse(stdout) as Reproduction;
  jobs.push(r.training.sample.job, r.training.all.job);

  assert.equal(r.rows, 200_000);
  assert.equal(r.comparableWithStudy, false, "the study's table needs its whole 5M-row chunk");
  assert.equal(r.etl.rowsIn, 200_000);
  assert.equal(r.etl.rowsOut, 40_000);
  assert.equal(r.etl.duplicatesRemoved, 160_000);
  assert.equal(r.etl.study.runs.length, 10);
  assert.equal(r.etl.study.min, 30.76);
  assert.equal(r.etl.study.max, 71.31);

  // Query 1 with the study's semantics, and the ETL's Query 2, against DuckDB over the raw files.
  const manifest = (await clients.readJson<{ createdAt: number; files: { path: string }[] }>(
    clients.paths.manifest(dataset, r.batches.full),
  ))!;
  const dir = tempDir();
  const raw = await clients.download(
    manifest.files.map((f) => f.path),
    dir,
  );
  const want = JSON.parse(runPython(STUDY_QUERY1, [JSON.stringify(raw)])) as Row[];
  assert.equal(want.length, 10);
  assert.deepEqual(r.query1.rows, want);
  assert.equal(r.query1.study.length, 10);
  assert.equal(r.query1.matchesStudy, false);
  const clean = await clients.download(
    manifest.files.map((_, p) => clients.paths.cleanPartition(dataset, r.batches.full, p)),
    dir,
  );
  const ref = duckdbReference(raw, clean, manifest.createdAt);
  assert.equal(ref.cleanDiff, 0);
  assert.equal(r.etl.futureSignupDates, ref.future);
  assert.deepEqual(r.query2.youngestActive, ref.young);
  assert.deepEqual(r.query2.oldestActive, ref.old);
  assert.equal(new Set(r.query2.youngestActive.map((x) => x.id)).size, 5, 'each employee once');
  assert.equal(
    r.query2.study.youngestActive[0]!.id,
    r.query2.study.youngestActive[1]!.id,
    'the study repeats',
  );

  // Training: the study's grid and folds on its first 10,000 rows and on every clean row; no signal.
  const t = r.training;
  assert.equal(t.salaryVariance, 675_000_000);
  assert.equal(t.study.mse, 673_131_597.3910482);
  assert.equal(t.sample.trainRows + t.sample.testRows, 10_000);
  assert.equal(t.all.trainRows + t.all.testRows, 40_000);
  for (const [label, m] of [
    ['sample', t.sample],
    ['all', t.all],
  ] as const) {
    assert.equal(m.search, 'grid', label);
    assert.equal(m.leaderboard.length, 8, `${label}: the study's 8 candidates`);
    assert.match(m.noSignal ?? '', /no signal/, `${label}: the no-signal warning`);
    assert.ok(Math.abs(m.testR2) < 0.05, `${label}: R² ${m.testR2}`);
    assert.ok(
      m.testMse > 0.9 * t.salaryVariance && m.testMse < 1.1 * t.salaryVariance,
      `${label}: MSE ${m.testMse} is Var(salary)`,
    );
  }

  // Prediction: the study's first 5,000 rows with the sample model, every clean row with the other.
  assert.equal(r.prediction.sample.rows, 5_000);
  assert.equal(r.prediction.sample.model, `${t.sample.model}@v${t.sample.version}`);
  assert.equal(r.prediction.all.rows, 40_000);
  assert.equal(r.prediction.study.seconds, 20);
});
