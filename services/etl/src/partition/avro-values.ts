import type { EtlPartial, EtlReport } from '@lakestream/contracts';
import type { EmployeeRow } from '@lakestream/etl-core';
import type { EtlReportFile } from './batch-report';
import type { PartialFile } from './partial-file';

/** Reports keep signup dates in ms; the Avro EmployeeRow carries timestamp-micros. */
const avroRow = (r: EmployeeRow) => ({ ...r, signup_date: r.signup_date * 1000 });

const avroStats = (s: {
  column: string;
  count: number;
  nulls: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
}) => ({
  column: s.column,
  count: s.count,
  nulls: s.nulls,
  min: Number.isFinite(s.min) ? s.min : null,
  max: Number.isFinite(s.max) ? s.max : null,
  mean: s.mean,
  m2: s.m2,
});

/** The EtlPartial record (schemas/EtlPartial.avsc) for a partition's partial file. */
export function etlPartialValue(p: PartialFile): EtlPartial {
  const s = p.summary;
  const rss = Math.max(p.memory.rssBefore, p.memory.rssAfter);
  return {
    dataset: p.clean.dataset,
    batch: p.clean.batch,
    partition: p.clean.partition,
    partitions: p.clean.partitions,
    rowsIn: s.rowsIn,
    rowsOut: s.rowsOut,
    dropped: {
      ...Object.fromEntries(Object.entries(s.missing).map(([k, v]) => [`missing_${k}`, v])),
      ...Object.fromEntries(Object.entries(s.invalid ?? {}).map(([k, v]) => [`invalid_${k}`, v])),
      future_signup_date: s.futureDropped,
    },
    futureSignupDates: s.futureSignupDates,
    duplicatesRemoved: s.duplicatesRemoved,
    columnStats: s.columnStats.map(avroStats),
    topEarners: s.topEarners.map(avroRow),
    youngestActive: s.youngestActive.map(avroRow),
    oldestActive: s.oldestActive.map(avroRow),
    timings: p.timings,
    memory: { rssBefore: p.memory.rssBefore, rssAfter: p.memory.rssAfter, peak: rss },
    cleanPath: p.clean.path,
    checksum: p.clean.checksum,
    histograms: s.histograms ?? [],
    createdAt: p.finishedAt,
    worker: p.worker,
  };
}

/** The EtlReport record (schemas/EtlReport.avsc) for a batch's report file. */
export function etlReportValue(r: EtlReportFile, reportPath: string): EtlReport {
  return {
    dataset: r.dataset,
    batch: r.batch,
    partitions: r.partitions,
    rowsIn: r.rowsIn,
    rowsOut: r.rowsOut,
    seconds: r.seconds,
    rowsPerSecond: r.rowsPerSecond,
    memory: {
      rssBefore: r.memory.rssBeforeMax,
      rssAfter: r.memory.rssAfterMax,
      peak: Math.max(r.memory.rssBeforeMax, r.memory.rssAfterMax),
    },
    schemaCheck: { passed: true, columns: [], problems: [] },
    renameApplied: true,
    dateFormatApplied: true,
    dateFormat: 'timestamp[us, UTC]',
    savedLocation: r.savedLocation,
    topEarners: r.topEarners.map(avroRow),
    youngestActive: r.youngestActive.map(avroRow),
    oldestActive: r.oldestActive.map(avroRow),
    quality: {
      ...Object.fromEntries(Object.entries(r.quality.missing).map(([k, v]) => [`missing_${k}`, v])),
      ...Object.fromEntries(Object.entries(r.quality.invalid ?? {}).map(([k, v]) => [`invalid_${k}`, v])),
      duplicates_removed: r.quality.duplicatesRemoved,
      future_signup_dates: r.quality.futureSignupDates,
      future_dropped: r.quality.futureDropped,
    },
    columnStats: r.columnStats.map(avroStats),
    histograms: r.histograms ?? [],
    reportPath,
    createdAt: r.createdAt,
  };
}
