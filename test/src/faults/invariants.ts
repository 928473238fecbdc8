import assert from 'node:assert/strict';
import type { LakeConfig } from '@lakestream/config';
import { batchKey, chunkKey, dlqTopic, TOPICS } from '@lakestream/contracts';
import { HdfsNotFoundError } from '@lakestream/hdfs';
import { tempDir } from '@lakestream/testkit';
import { eventually, groupCaughtUp, type lake } from '../etl/pipeline';
import { readTopic } from './harness';
import { duckdbReference } from '../etl/duckdb-reference';

type Clients = ReturnType<typeof lake>;

export interface ExpectedDeadLetter {
  /** The Kafka key of the poison message. */
  key: string;
  /** What its error must say (e.g. the path it names). */
  error: RegExp;
}

export interface InvariantOptions {
  dataset: string;
  batch: string;
  /** Exactly these messages of this dataset are in lake.chunks.raw.dlq (default none). */
  deadLetters?: ExpectedDeadLetter[];
  /** When the test began: staging folders under _tmp newer than this are this test's. */
  since: number;
  /**
   * Raw descriptors were legitimately sent more than once (a batch published twice): the
   * ETL re-emits the same clean descriptor for each, so count distinct content instead.
   */
  redeliveredInput?: boolean;
  /** 'report': return what is left in _tmp instead of failing (for a known leak checked separately). */
  tmp?: 'assert' | 'report';
  /**
   * Staging folders (names under _tmp) this scenario left behind and aged: the sweeper must
   * have removed them too, whatever their modification time says.
   */
  abandonedStaging?: string[];
  timeoutMs?: number;
}

export interface InvariantReport {
  partitions: number;
  rowsIn: number;
  rowsOut: number;
  rawDescriptors: number;
  cleanDescriptors: number;
  reports: number;
  deadLetters: number;
  /** Messages whose duplicate copies were found (distinct content counted once). */
  duplicateCopies: number;
  /** Raw partitions without their clean file, partial or clean descriptor, and rows missing from the clean files. */
  lost: { partitions: number; rows: number };
  /** Clean files, clean descriptors and reports beyond one per partition / batch. */
  duplicated: number;
  /** Staging folders this test left under _tmp (always [] unless tmp: 'report'). */
  tmpLeftovers: string[];
}

interface Manifest {
  createdAt: number;
  partitions: number;
  rows: number;
  files: { partition: number; path: string; rows: number }[];
}

interface Report {
  partitions: number;
  rowsIn: number;
  rowsOut: number;
  quality: {
    missing: Record<string, number>;
    invalid: Record<string, number>;
    duplicatesRemoved: number;
    futureSignupDates: number;
  };
  columnStats: { column: string; count: number; mean: number; variance: number; min: number; max: number }[];
  topEarners: unknown[];
  youngestActive: unknown[];
  oldestActive: unknown[];
}

const pad = (p: number) => String(p).padStart(5, '0');

/**
 * The one checker every fault scenario ends with. For one batch: every raw partition of the
 * manifest has exactly one clean partition and one partial; clean rows add up to the report;
 * the report equals a DuckDB recomputation from the raw files; nothing this test staged is
 * left in _tmp; the ETL group is caught up; the DLQ holds exactly the expected poison
 * messages of this dataset; and lake.chunks.clean / lake.etl.reports (read_committed) hold
 * one clean descriptor per partition and one report for the batch.
 */
export async function checkInvariants(
  config: LakeConfig,
  clients: Clients,
  o: InvariantOptions,
): Promise<InvariantReport> {
  const { hdfs, paths } = clients;
  const { dataset, batch } = o;
  const timeoutMs = o.timeoutMs ?? 120_000;
  const reportFile = `${paths.reports(dataset, batch)}/etl_report.json`;
  const report = await eventually(`the ETL report of ${dataset}/${batch}`, timeoutMs, () =>
    clients.readJson<Report>(reportFile),
  );
  await eventually('lake-etl to catch up on lake.chunks.raw', timeoutMs, async () =>
    (await groupCaughtUp(config, 'lake-etl', TOPICS.chunksRaw.name)) ? true : undefined,
  );
  const manifest = await clients.readJson<Manifest>(paths.manifest(dataset, batch));
  assert.ok(manifest, 'the batch has a manifest');
  const P = manifest.partitions;
  assert.equal(manifest.files.length, P, 'the manifest names every partition once');
  assert.deepEqual(
    manifest.files.map((f) => f.partition).sort((a, b) => a - b),
    Array.from({ length: P }, (_, p) => p),
  );

  // Exactly one clean file and one partial per raw partition, and nothing else at final paths.
  const names = async (dir: string) => (await hdfs.list(dir)).map((s) => s.name).sort();
  const parts = Array.from({ length: P }, (_, p) => `part-${pad(p)}.parquet`);
  const partialNames = Array.from({ length: P }, (_, p) => `part-${pad(p)}.json`);
  const cleanNames = await names(paths.cleanBatch(dataset, batch));
  const partialsFound = await names(`${paths.reports(dataset, batch)}/_partials`);
  // Counted before any assertion, so the totals are measured rather than implied by passing.
  const missingOutputs = parts.filter(
    (part, p) => !cleanNames.includes(part) || !partialsFound.includes(partialNames[p]),
  );
  assert.deepEqual(await names(paths.rawBatch(dataset, batch)), ['_MANIFEST.json', '_PUBLISHED', ...parts]);
  assert.deepEqual(cleanNames, ['_SUCCESS', ...parts]);
  assert.deepEqual(partialsFound, partialNames);

  // Row counts add up: partials, report, manifest.
  const partials = await Promise.all(
    Array.from({ length: P }, async (_, p) => {
      const partial = await clients.readJson<{
        clean: { rows: number; checksum: string };
        summary: { rowsIn: number; rowsOut: number };
      }>(paths.partial(dataset, batch, p));
      assert.ok(partial, `partial ${p}`);
      return partial;
    }),
  );
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  assert.equal(report.partitions, P);
  assert.equal(sum(partials.map((x) => x.summary.rowsIn)), manifest.rows);
  assert.equal(report.rowsIn, manifest.rows);
  assert.equal(sum(partials.map((x) => x.clean.rows)), report.rowsOut);

  // The report equals DuckDB's recomputation from the raw files; the clean files hold its rows.
  const dir = tempDir();
  const raw = await clients.download(
    manifest.files.map((f) => f.path),
    dir,
  );
  const clean = await clients.download(
    Array.from({ length: P }, (_, p) => paths.cleanPartition(dataset, batch, p)),
    dir,
  );
  const ref = duckdbReference(raw, clean, manifest.createdAt);
  assert.equal(report.rowsIn, ref.rowsIn);
  assert.equal(report.rowsOut, ref.rowsOut);
  assert.equal(sum(Object.values(report.quality.missing)), ref.missing);
  assert.equal(sum(Object.values(report.quality.invalid)), ref.invalid);
  assert.equal(report.rowsIn - report.rowsOut, ref.missing + ref.invalid + report.quality.duplicatesRemoved);
  assert.equal(report.quality.futureSignupDates, ref.future);
  assert.deepEqual(report.topEarners, ref.top);
  assert.deepEqual(report.youngestActive, ref.young);
  assert.deepEqual(report.oldestActive, ref.old);
  const salary = report.columnStats.find((s) => s.column === 'salary')!;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  assert.equal(salary.count, ref.rowsOut);
  if (ref.rowsOut > 0) {
    assert.ok(close(salary.mean, ref.salary[0]) && close(salary.variance, ref.salary[1]));
    assert.equal(salary.min, ref.salary[2]);
    assert.equal(salary.max, ref.salary[3]);
  } else {
    // No row kept: DuckDB's aggregates are null, the report's min and max have no value (null in JSON).
    assert.deepEqual(ref.salary, [null, null, null, null]);
    assert.deepEqual([salary.min, salary.max], [null, null]);
  }
  assert.equal(ref.cleanRows, ref.rowsOut);
  assert.equal(ref.cleanDiff, 0, 'the clean files hold exactly the rows DuckDB keeps');

  // Nothing this test staged is left under _tmp (others' writes in flight finish and vanish).
  const leftovers = await tmpLeftovers(clients, o.since, o.abandonedStaging);
  if (o.tmp !== 'report') assert.deepEqual(leftovers, [], 'nothing left in _tmp');

  // Descriptors: every one accounted for, once.
  const prefix = `${batchKey(dataset, batch)}/`;
  const [rawDescriptors, cleanDescriptors, allReports, letters] = await Promise.all([
    readTopic(config, TOPICS.chunksRaw.name, prefix, { decode: false }),
    readTopic(config, TOPICS.chunksClean.name, prefix, { decode: false }),
    readTopic(config, TOPICS.etlReports.name, batchKey(dataset, batch), { decode: false }),
    readTopic(config, dlqTopic(TOPICS.chunksRaw.name), `${dataset}/`),
  ]);
  const reports = allReports.filter((r) => r.key === batchKey(dataset, batch));
  const distinct = (records: { key: string; raw: Buffer }[]) => {
    const byKey = new Map<string, Set<string>>();
    for (const r of records) {
      const set = byKey.get(r.key) ?? new Set<string>();
      set.add(r.raw.toString('base64'));
      byKey.set(r.key, set);
    }
    return byKey;
  };
  for (const [key, contents] of distinct(rawDescriptors))
    assert.equal(contents.size, 1, `a re-sent raw descriptor of ${key} is the same descriptor`);
  const cleanByKey = distinct(cleanDescriptors);
  assert.equal(cleanByKey.size, P, 'a clean descriptor for every partition');
  for (const [key, contents] of cleanByKey)
    assert.equal(contents.size, 1, `every clean descriptor of ${key} says the same`);
  // Placed like the raw ones, partition p on p mod the topic's partitions: a batch spreads evenly.
  for (const d of cleanDescriptors) {
    const p = Number(d.key.slice(d.key.lastIndexOf('/') + 1));
    assert.equal(d.partition, p % config.kafka.topicPartitions, `clean descriptor ${d.key} on its partition`);
  }
  assert.equal(distinct(reports).get(batchKey(dataset, batch))?.size, 1, 'one report content');
  const rawCopies = rawDescriptors.length - P;
  if (!o.redeliveredInput) {
    assert.equal(rawDescriptors.length, P, 'one raw descriptor per partition');
    assert.equal(cleanDescriptors.length, P, 'exactly one clean descriptor per partition (no duplicates)');
    assert.equal(reports.length, 1, 'exactly one report for the batch');
  } else {
    assert.ok(cleanDescriptors.length <= rawDescriptors.length, 'at most one clean descriptor per raw one');
    assert.ok(reports.length <= 1 + rawCopies, 'a report re-sent at most once per re-sent raw descriptor');
  }

  // The DLQ holds exactly what was meant to fail.
  const expected = o.deadLetters ?? [];
  assert.deepEqual(
    letters.map((l) => l.key).sort(),
    expected.map((e) => e.key).sort(),
    `the DLQ holds exactly the poison messages: ${JSON.stringify(letters.map((l) => [l.key, (l.value as { error: string }).error]))}`,
  );
  for (const e of expected) {
    const letter = letters.find((l) => l.key === e.key)!.value as { error: string };
    assert.match(letter.error, e.error);
  }

  return {
    partitions: P,
    rowsIn: report.rowsIn,
    rowsOut: report.rowsOut,
    rawDescriptors: rawDescriptors.length,
    cleanDescriptors: cleanDescriptors.length,
    reports: reports.length,
    deadLetters: letters.length,
    duplicateCopies: cleanDescriptors.length - P + (reports.length - 1),
    lost: {
      partitions: new Set([
        ...missingOutputs,
        ...parts.filter((_, p) => !cleanByKey.has(chunkKey(dataset, batch, p))),
      ]).size,
      rows: ref.rowsOut - ref.cleanRows,
    },
    // Output files are one per name (checked above); copies are counted in the descriptors. A
    // batch published twice legitimately re-sends each descriptor: one output per input then.
    duplicated: o.redeliveredInput
      ? Math.max(0, cleanDescriptors.length - rawDescriptors.length) +
        Math.max(0, reports.length - 1 - rawCopies)
      : cleanDescriptors.length - P + (reports.length - 1),
    tmpLeftovers: leftovers,
  };
}

/** Staging folders under _tmp modified since `since` (or named in `also`) that stay there for 15 s. */
export async function tmpLeftovers(clients: Clients, since: number, also: string[] = []): Promise<string[]> {
  const list = async () => {
    try {
      return (await clients.hdfs.list(clients.paths.tmp()))
        .filter((s) => s.modificationTime >= since - 1000 || also.includes(s.name))
        .map((s) => s.name);
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return [];
      throw error;
    }
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const names = await list();
    if (names.length === 0 || Date.now() > deadline) return names;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface PredictionInvariantReport {
  partitions: number;
  rows: number;
  predictionRecords: number;
  /** DriftDetected records of the batch on lake.alerts (read committed): 1 when drift.json has an alert, else 0. */
  alerts: number;
  lost: { partitions: number; rows: number };
  duplicated: number;
}

/**
 * The prediction side of the checker, for one batch and one model version: exactly one
 * predictions file and one partial per clean partition and nothing else at final paths (the
 * continuous predictor's drift.json included, written before _SUCCESS); rows add up to the
 * clean rows; exactly one committed PredictionsWritten per partition; one DriftDetected when
 * drift.json has an alert, none otherwise; the predictor group has caught up on
 * lake.chunks.clean and nothing of this dataset is in its DLQ.
 */
export async function checkPredictionInvariants(
  config: LakeConfig,
  clients: Clients,
  o: {
    dataset: string;
    batch: string;
    model: string;
    version: number;
    group?: string;
    timeoutMs?: number;
    /** The batch was scored by the continuous predictor, which checks drift (default true). */
    drift?: boolean;
  },
): Promise<PredictionInvariantReport> {
  const { hdfs, paths } = clients;
  const timeoutMs = o.timeoutMs ?? 120_000;
  const drift = o.drift ?? true;
  const dir = paths.predictions(o.dataset, o.model, o.version, o.batch);
  // _SUCCESS is the last file written: every other one is there once it is.
  await eventually(`the predictions of ${o.dataset}/${o.batch} (_SUCCESS)`, timeoutMs, async () =>
    (await hdfs.exists(`${dir}/_SUCCESS`)) ? true : undefined,
  );
  const summary = await clients.readJson<{ rows: number; partitions: number }>(`${dir}/prediction.json`);
  assert.ok(summary, `${dir}/prediction.json exists beside _SUCCESS`);
  await eventually('the predictor to catch up on lake.chunks.clean', timeoutMs, async () =>
    (await groupCaughtUp(config, o.group ?? 'lake-predictor', TOPICS.chunksClean.name)) ? true : undefined,
  );
  const report = await clients.readJson<Report>(`${paths.reports(o.dataset, o.batch)}/etl_report.json`);
  assert.ok(report, 'the batch has its ETL report');
  const P = report.partitions;
  const names = (await hdfs.list(dir)).map((s) => s.name).sort();
  const parts = Array.from({ length: P }, (_, p) => `part-${pad(p)}.parquet`);
  assert.deepEqual(
    names,
    [
      '_SUCCESS',
      '_partials',
      ...parts,
      'prediction.json',
      'prediction.log',
      ...(drift ? ['drift.json'] : []),
    ].sort(),
  );
  const partials = (await hdfs.list(`${dir}/_partials`)).map((s) => s.name).sort();
  assert.deepEqual(
    partials,
    Array.from({ length: P }, (_, p) => `part-${pad(p)}.json`),
  );
  assert.equal(summary.partitions, P);
  assert.equal(summary.rows, report.rowsOut, 'every clean row predicted once');

  const records = (await readTopic(config, TOPICS.predictions.name, `${o.dataset}/${o.batch}/`)).map(
    (r) => r.value as { partition: number; version: number; model: string },
  );
  const mine = records.filter((r) => r.model === o.model && r.version === o.version);
  const distinct = new Set(mine.map((r) => r.partition));
  assert.equal(distinct.size, P, 'a PredictionsWritten for every partition');
  assert.equal(mine.length, P, 'exactly one PredictionsWritten per partition (no duplicates)');
  let alerts = 0;
  if (drift) {
    const verdict = await clients.readJson<{ alert: boolean; batch: string; version: number }>(
      `${dir}/drift.json`,
    );
    assert.ok(verdict, 'drift.json is readable');
    assert.deepEqual([verdict.batch, verdict.version], [o.batch, o.version]);
    alerts = (await readTopic(config, TOPICS.alerts.name, batchKey(o.dataset, o.batch))).filter(
      (r) => r.key === batchKey(o.dataset, o.batch),
    ).length;
    assert.equal(
      alerts,
      verdict.alert ? 1 : 0,
      'one DriftDetected when drift.json has an alert, none otherwise',
    );
  }
  const letters = await readTopic(config, dlqTopic(TOPICS.chunksClean.name), `${o.dataset}/`);
  assert.deepEqual(
    letters.map((l) => l.key),
    [],
    'nothing of this dataset in lake.chunks.clean.dlq',
  );
  return {
    partitions: P,
    rows: summary.rows,
    predictionRecords: mine.length,
    alerts,
    lost: { partitions: P - distinct.size, rows: report.rowsOut - summary.rows },
    duplicated: mine.length - distinct.size,
  };
}
