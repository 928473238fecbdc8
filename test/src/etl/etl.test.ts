import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startEtlService } from '@lakestream/etl';
import { publishSynthetic } from '@lakestream/publish';
import { tempDir } from '@lakestream/testkit';
import { stackConfig } from '../stack/config';
import { duckdbReference } from './duckdb-reference';
import { eventually, groupCaughtUp, lake, uniqueName } from './pipeline';

const config = { ...stackConfig(), workers: { concurrency: 2 } };
const clients = lake(config);
const dataset = uniqueName('etltest');
const batch = 'b1';
let service: Awaited<ReturnType<typeof startEtlService>>;

interface Report {
  rowsIn: number;
  rowsOut: number;
  partitions: number;
  quality: { missing: Record<string, number>; duplicatesRemoved: number; futureSignupDates: number };
  columnStats: { column: string; count: number; mean: number; variance: number; min: number; max: number }[];
  topEarners: unknown[];
  youngestActive: unknown[];
  oldestActive: unknown[];
  histograms: { column: string; edges: number[]; counts: number[] }[];
}

before(async () => {
  service = await startEtlService({ config, port: 0, shutdownHooks: false });
});
after(async () => {
  await service?.close();
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await clients.close();
});

test('a dirty batch is cleaned and reported exactly as DuckDB computes it from the same raw files', async () => {
  const producer = await clients.producer();
  const published = await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    {
      dataset,
      batch,
      rows: 40_000,
      partitions: 3,
      seed: 11,
      quirks: true,
      referenceDate: '2026-06-01',
      workers: 1,
    },
  );
  assert.equal(published.outcome, 'published');
  const reportPath = `${clients.paths.reports(dataset, batch)}/etl_report.json`;
  const report = await eventually('the ETL report', 120_000, () => clients.readJson<Report>(reportPath));
  const manifest = (await clients.readJson<{ createdAt: number; files: { path: string }[] }>(
    clients.paths.manifest(dataset, batch),
  ))!;

  const dir = tempDir();
  const raw = await clients.download(
    manifest.files.map((f) => f.path),
    dir,
  );
  const clean = await clients.download(
    [0, 1, 2].map((p) => clients.paths.cleanPartition(dataset, batch, p)),
    dir,
  );
  const ref = duckdbReference(raw, clean, manifest.createdAt);

  assert.equal(report.partitions, 3);
  assert.equal(report.rowsIn, ref.rowsIn);
  assert.equal(report.rowsOut, ref.rowsOut);
  assert.ok(
    report.quality.duplicatesRemoved > 0 && ref.missing > 0 && ref.future > 0,
    `the quirks put real dirt in the batch: ${JSON.stringify([report.quality, ref.missing, ref.future])}`,
  );
  assert.equal(
    Object.values(report.quality.missing).reduce((a, b) => a + b, 0),
    ref.missing,
  );
  assert.equal(report.rowsIn - report.rowsOut, ref.missing + report.quality.duplicatesRemoved);
  assert.equal(report.quality.futureSignupDates, ref.future);
  assert.deepEqual(report.topEarners, ref.top);
  assert.deepEqual(report.youngestActive, ref.young);
  assert.deepEqual(report.oldestActive, ref.old);
  const salary = report.columnStats.find((s) => s.column === 'salary')!;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  assert.ok(
    close(salary.mean, ref.salary[0]) && close(salary.variance, ref.salary[1]),
    JSON.stringify([salary, ref.salary]),
  );
  assert.equal(salary.min, ref.salary[2]);
  assert.equal(salary.max, ref.salary[3]);
  // Drift histograms (config drift.bins): every kept row counted once per column.
  assert.deepEqual(
    report.histograms.map((h) => [h.column, h.counts.length, h.counts.reduce((a, b) => a + b, 0)]),
    [
      ['age', 26, ref.rowsOut],
      ['is_active', 4, ref.rowsOut],
      ['salary', 42, ref.rowsOut],
    ],
  );
  assert.equal(ref.cleanRows, ref.rowsOut);
  assert.equal(ref.cleanDiff, 0, 'the clean files hold exactly the rows DuckDB keeps, value for value');
  assert.ok(await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, batch)}/_SUCCESS`));
  for (const f of [
    'etl_benchmark.log',
    'top_earners.parquet',
    'youngest_active.parquet',
    'oldest_active.parquet',
  ]) {
    assert.ok(await clients.hdfs.exists(`${clients.paths.reports(dataset, batch)}/${f}`), f);
  }
});

test('redelivered descriptors change nothing: same clean files, partials and report', async () => {
  const sha = async (p: string) =>
    createHash('sha256')
      .update(await clients.hdfs.readFile(p, { maxBytes: 1 << 30 }))
      .digest('hex');
  const files = [
    `${clients.paths.reports(dataset, batch)}/etl_report.json`,
    ...[0, 1, 2].flatMap((p) => [
      clients.paths.cleanPartition(dataset, batch, p),
      clients.paths.partial(dataset, batch, p),
    ]),
  ];
  const before = await Promise.all(files.map(sha));
  // Forget that the descriptors were sent: publishing again re-sends the same ones.
  await clients.hdfs.delete(clients.paths.published(dataset, batch));
  const again = await publishSynthetic(
    { hdfs: clients.hdfs, producer: await clients.producer(), paths: clients.paths },
    { dataset, batch, rows: 40_000, partitions: 3, seed: 11, quirks: true, referenceDate: '2026-06-01' },
  );
  assert.equal(again.outcome, 'resumed');
  await eventually('the ETL group to consume the redelivered descriptors', 60_000, async () =>
    (await groupCaughtUp(config, 'lake-etl', 'lake.chunks.raw')) ? true : undefined,
  );
  assert.deepEqual(await Promise.all(files.map(sha)), before);
  const tmp = await clients.hdfs.list(clients.paths.tmp()).catch(() => []);
  assert.deepEqual(tmp, [], 'nothing left in _tmp');
});
