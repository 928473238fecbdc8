import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startEtlService } from '@lakestream/etl';
import { publishSynthetic } from '@lakestream/publish';
import { runPython, tempDir } from '@lakestream/testkit';
import { stackConfig } from '../stack/config';
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
}

before(async () => {
  service = await startEtlService({ config, port: 0, shutdownHooks: false });
});
after(async () => {
  await service?.close();
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await clients.close();
});

const DUCKDB = `
import duckdb, json, sys
raw, clean, now_us = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
con = duckdb.connect()
con.execute("create table raw as select * from read_parquet(?, filename = true, file_row_number = true)", [raw])
con.execute("""create table want as select id, name as full_name, age, salary, epoch_us(signup_date) as signup_us, is_active,
  epoch_us(signup_date) > ? as signup_in_future from (
  select *, row_number() over (partition by id order by filename, file_row_number) as k from raw
  where id is not null and name is not null and age is not null and salary is not null and signup_date is not null and is_active is not null
) where k = 1""", [now_us])
con.execute("create table got as select id, full_name, age, salary, epoch_us(signup_date) as signup_us, is_active, signup_in_future from read_parquet(?)", [clean])
row = lambda r: dict(id=r[0], full_name=r[1], age=r[2], salary=r[3], signup_date=r[4] // 1000, is_active=r[5])
q = lambda sql: [row(r) for r in con.execute(sql).fetchall()]
print(json.dumps(dict(
  rowsIn=con.execute("select count(*) from raw").fetchone()[0],
  rowsOut=con.execute("select count(*) from want").fetchone()[0],
  missing=con.execute("select count(*) from raw where id is null or name is null or age is null or salary is null or signup_date is null or is_active is null").fetchone()[0],
  future=con.execute("select count(*) from want where signup_in_future").fetchone()[0],
  top=q("select * from want order by salary desc, id limit 10"),
  young=q("select * from want where is_active order by age, id limit 5"),
  old=q("select * from want where is_active order by age desc, id limit 5"),
  salary=con.execute("select avg(salary), var_pop(salary), min(salary), max(salary) from want").fetchone(),
  age=con.execute("select avg(age), var_pop(age) from want").fetchone(),
  cleanDiff=con.execute("select count(*) from ((select * from want except all select * from got) union all (select * from got except all select * from want))").fetchone()[0],
  cleanRows=con.execute("select count(*) from got").fetchone()[0],
)))
`;

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
  const ref = JSON.parse(
    runPython(DUCKDB, [JSON.stringify(raw), JSON.stringify(clean), String(manifest.createdAt * 1000)]),
  );

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
