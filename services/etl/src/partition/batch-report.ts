import { writeParquet } from '@lakestream/columnar';
import type { LakePaths } from '@lakestream/core';
import type { Histogram } from '@lakestream/drift';
import { type EmployeeRow, mergeSummaries, variance } from '@lakestream/etl-core';
import { HdfsAlreadyExistsError, type HdfsClient } from '@lakestream/hdfs';
import {
  Bool,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { PartialFile } from './partial-file';
import { readPartial } from './partition-processor';

/** etl_report.json: the study's three pipelines' answers for one batch, merged from its partials. */
export interface EtlReportFile {
  dataset: string;
  batch: string;
  partitions: number;
  rowsIn: number;
  rowsOut: number;
  /** From the first partition started to the last one finished. */
  seconds: number;
  rowsPerSecond: number;
  memory: { rssBeforeMax: number; rssAfterMax: number };
  schemaCheck: 'passed';
  renameApplied: 'name -> full_name';
  dateFormatApplied: 'signup_date as timestamp[us, UTC]';
  savedLocation: string;
  quality: {
    missing: Record<string, number>;
    /** Rows dropped for an invalid value, by field: an age outside 14–100, a salary not finite (VALID_AGES). */
    invalid: Record<string, number>;
    duplicatesRemoved: number;
    futureSignupDates: number;
    futureDropped: number;
  };
  columnStats: {
    column: string;
    count: number;
    nulls: number;
    min: number;
    max: number;
    mean: number;
    variance: number;
    m2: number;
  }[];
  topEarners: EmployeeRow[];
  youngestActive: EmployeeRow[];
  oldestActive: EmployeeRow[];
  /** Fixed-bin histograms of the clean rows (config drift.bins), merged exactly: the drift reference. */
  histograms: Histogram[];
  /** The partition whose partial completed the set; only it publishes the report. */
  builtBy: number;
  createdAt: number;
}

/** The report when every partition of the batch has its partial; undefined while some are missing. */
export async function collectReport(
  hdfs: HdfsClient,
  paths: LakePaths,
  dataset: string,
  batch: string,
  partitions: number,
  builtBy: number,
): Promise<EtlReportFile | undefined> {
  const dir = paths.partial(dataset, batch, 0).replace(/\/[^/]+$/, '');
  const names = (await hdfs.list(dir)).filter((s) => s.type === 'FILE' && s.name.endsWith('.json'));
  if (names.length < partitions) return undefined;
  const partials: PartialFile[] = [];
  for (let p = 0; p < partitions; p++) {
    const partial = await readPartial(hdfs, paths.partial(dataset, batch, p));
    if (!partial) return undefined;
    partials.push(partial);
  }
  const merged = mergeSummaries(partials.map((p) => p.summary));
  const started = Math.min(...partials.map((p) => p.startedAt));
  const finished = Math.max(...partials.map((p) => p.finishedAt));
  const seconds = Math.max(0.001, (finished - started) / 1000);
  return {
    dataset,
    batch,
    partitions,
    rowsIn: merged.rowsIn,
    rowsOut: merged.rowsOut,
    seconds,
    rowsPerSecond: merged.rowsIn / seconds,
    memory: {
      rssBeforeMax: Math.max(...partials.map((p) => p.memory.rssBefore)),
      rssAfterMax: Math.max(...partials.map((p) => p.memory.rssAfter)),
    },
    schemaCheck: 'passed',
    renameApplied: 'name -> full_name',
    dateFormatApplied: 'signup_date as timestamp[us, UTC]',
    savedLocation: paths.cleanBatch(dataset, batch),
    quality: {
      missing: merged.missing,
      invalid: merged.invalid ?? {},
      duplicatesRemoved: merged.duplicatesRemoved,
      futureSignupDates: merged.futureSignupDates,
      futureDropped: merged.futureDropped,
    },
    columnStats: merged.columnStats.map((s) => ({ ...s, variance: variance(s) })),
    topEarners: merged.topEarners,
    youngestActive: merged.youngestActive,
    oldestActive: merged.oldestActive,
    histograms: merged.histograms ?? [],
    builtBy,
    createdAt: Date.now(),
  };
}

const rowsTable = (rows: EmployeeRow[]): Table =>
  new Table({
    id: vectorFromArray(
      rows.map((r) => BigInt(r.id)),
      new Int64(),
    ),
    full_name: vectorFromArray(
      rows.map((r) => r.full_name),
      new Utf8(),
    ),
    age: vectorFromArray(
      rows.map((r) => r.age),
      new Int32(),
    ),
    salary: vectorFromArray(
      rows.map((r) => r.salary),
      new Float64(),
    ),
    signup_date: vectorFromArray(
      rows.map((r) => r.signup_date),
      new TimestampMillisecond('UTC'),
    ),
    is_active: vectorFromArray(
      rows.map((r) => r.is_active),
      new Bool(),
    ),
  });

/** A human-readable etl_benchmark.log, like the study's. */
export function benchmarkLog(r: EtlReportFile): string {
  const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GB`;
  const row = (e: EmployeeRow) =>
    `|${e.id}|${e.full_name}|${e.age}|${e.salary}|${new Date(e.signup_date).toISOString().replace('T', ' ').slice(0, 19)}|${e.is_active}|`;
  const table = (rows: EmployeeRow[]) =>
    ['|id|full_name|age|salary|signup_date|is_active|', ...rows.map(row)].join('\n');
  return [
    '=====',
    'ETL Process Benchmark',
    `• Dataset: ${r.dataset}, batch ${r.batch} (${r.partitions} partitions)`,
    `• Rows Processed: ${r.rowsIn}`,
    `• Rows Kept: ${r.rowsOut} (duplicates removed ${r.quality.duplicatesRemoved}, missing values ${Object.values(r.quality.missing).reduce((a, b) => a + b, 0)}, invalid values ${Object.values(r.quality.invalid ?? {}).reduce((a, b) => a + b, 0)}, future signup dates ${r.quality.futureSignupDates}${r.quality.futureDropped ? `, dropped ${r.quality.futureDropped}` : ', flagged'})`,
    '• Columns: 6',
    `• Execution Time: ${r.seconds.toFixed(2)} seconds (${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s)`,
    `• Memory Usage Before: ${gb(r.memory.rssBeforeMax)} (largest worker)`,
    `• Memory Usage After: ${gb(r.memory.rssAfterMax)} (largest worker)`,
    `• Schema check: ${r.schemaCheck}; rename: ${r.renameApplied}; date format: ${r.dateFormatApplied}`,
    `• Saved at: hdfs://${r.savedLocation}`,
    '=====',
    'Top 10 highest-paid employees (after removing duplicates):',
    table(r.topEarners),
    'Youngest 5 active employees (ties by id):',
    table(r.youngestActive),
    'Oldest 5 active employees (ties by id):',
    table(r.oldestActive),
    '',
  ].join('\n');
}

/**
 * Writes the report's files, etl_report.json and _SUCCESS last. Each is created only if absent, so a worker that resumes after
 * a crash completes what is missing and changes nothing that is there.
 */
export async function writeReportFiles(hdfs: HdfsClient, paths: LakePaths, r: EtlReportFile): Promise<void> {
  const dir = paths.reports(r.dataset, r.batch);
  const files: [string, Uint8Array | string][] = [
    [`${dir}/etl_benchmark.log`, benchmarkLog(r)],
    [`${dir}/top_earners.parquet`, writeParquet(rowsTable(r.topEarners))],
    [`${dir}/youngest_active.parquet`, writeParquet(rowsTable(r.youngestActive))],
    [`${dir}/oldest_active.parquet`, writeParquet(rowsTable(r.oldestActive))],
    // Readers wait for these two: they come last.
    [reportPath(paths, r.dataset, r.batch), `${JSON.stringify(r, null, 2)}\n`],
    [`${paths.cleanBatch(r.dataset, r.batch)}/_SUCCESS`, ''],
  ];
  for (const [path, data] of files) {
    await hdfs.createExclusive(path, data).catch((error) => {
      if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    });
  }
}

export const reportPath = (paths: LakePaths, dataset: string, batch: string): string =>
  `${paths.reports(dataset, batch)}/etl_report.json`;
