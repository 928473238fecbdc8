import { Injectable, NotFoundException } from '@nestjs/common';
import { isValidName } from '@lakestream/core';
import { type FileStatus, HdfsNotFoundError } from '@lakestream/hdfs';
import { LakeClients } from '../lake-clients';
import {
  type BatchListing,
  type BatchSummary,
  type EtlSummary,
  type PartitionProgress,
  partitionNumbers,
  partitionProgress,
  summariseBatch,
} from './batch-status';
import { listOrEmpty, readJsonOrUndefined } from './hdfs-read';
import { type BatchPredictions, type DatasetPredictions, PredictionsService } from './predictions.service';

/** The fields of `_MANIFEST.json` the dashboard reads (written by @lakestream/publish). */
export interface ManifestJson {
  dataset: string;
  batch: string;
  partitions: number;
  rows: number;
  bytes: number;
  createdAt: number;
  [field: string]: unknown;
}

/** The fields of `etl_report.json` the dashboard reads (written by the etl service). */
export interface EtlReportJson {
  rowsIn: number;
  rowsOut: number;
  seconds: number;
  rowsPerSecond: number;
  [field: string]: unknown;
}

export interface BatchDetail {
  summary: BatchSummary;
  /** `_MANIFEST.json` as stored, or null before it is written. */
  manifest: ManifestJson | null;
  /** `etl_report.json` as stored, or null before the ETL has built it. */
  report: EtlReportJson | null;
  /** Each partition's progress: raw file written, clean file written, partial written. */
  partitions: PartitionProgress[];
  /** The pinned model version and every predictions folder of the batch, with `prediction.json` as stored. */
  predictions: BatchPredictions;
}

export interface BatchList {
  datasets: string[];
  batches: BatchSummary[];
}

/** Folders under the lake root that are not datasets. */
const NOT_DATASETS = new Set(['models']);

/** How many batches /api/batches shows, newest first. */
export const MAX_BATCHES = 100;

/**
 * Reads batch progress from HDFS: the raw folder (partition files, `_MANIFEST.json`,
 * `_PUBLISHED`), the report folder (`_partials/`, `etl_report.json`), `clean/_SUCCESS` and
 * the predictions (through PredictionsService). Manifests and reports are written once, so
 * they are cached after the first read, and a batch the ETL has finished is not listed again;
 * its predictions are, since a backfill may add some at any time.
 */
@Injectable()
export class BatchesService {
  private readonly manifests = new Map<string, ManifestJson>();
  private readonly reports = new Map<string, EtlReportJson>();
  private readonly finished = new Map<string, EtlSummary>();

  constructor(
    private readonly lake: LakeClients,
    private readonly predictions: PredictionsService,
  ) {}

  async list(): Promise<BatchList> {
    const datasets = (await this.listOrEmpty(this.lake.paths.root))
      .filter((s) => s.type === 'DIRECTORY' && isValidName(s.name) && !NOT_DATASETS.has(s.name))
      .map((s) => s.name)
      .sort();
    const folders: { dataset: string; batch: string; time: number }[] = [];
    for (const dataset of datasets) {
      for (const s of await this.listOrEmpty(`${this.lake.paths.dataset(dataset)}/raw`)) {
        const batch = s.name.startsWith('batch=') ? s.name.slice('batch='.length) : '';
        if (s.type === 'DIRECTORY' && isValidName(batch))
          folders.push({ dataset, batch, time: s.modificationTime });
      }
    }
    folders.sort((a, b) => b.time - a.time);
    const shown = folders.slice(0, MAX_BATCHES);
    // One listing of predictions per dataset shown, not one per batch.
    const indexes = new Map<string, Promise<DatasetPredictions>>();
    for (const f of shown)
      if (!indexes.has(f.dataset)) indexes.set(f.dataset, this.predictions.index(f.dataset));
    const batches = await Promise.all(
      shown.map(async (f) => this.summary(f.dataset, f.batch, await indexes.get(f.dataset)!)),
    );
    batches.sort(
      (a, b) =>
        b.createdAt - a.createdAt || a.dataset.localeCompare(b.dataset) || a.batch.localeCompare(b.batch),
    );
    return { datasets, batches };
  }

  async detail(dataset: string, batch: string): Promise<BatchDetail> {
    if (!isValidName(dataset) || !isValidName(batch))
      throw new NotFoundException(`no batch ${dataset}/${batch}: invalid name`);
    const etl = await this.etlSummary(dataset, batch);
    if (etl.stages.raw.done === 0 && !etl.stages.raw.manifest)
      throw new NotFoundException(
        `no batch ${dataset}/${batch} under ${this.lake.paths.rawBatch(dataset, batch)}`,
      );
    const key = `${dataset}/${batch}`;
    const { paths } = this.lake;
    const [raw, clean, partials, { stage, predictions }] = await Promise.all([
      this.listOrEmpty(paths.rawBatch(dataset, batch)),
      this.listOrEmpty(paths.cleanBatch(dataset, batch)),
      this.listOrEmpty(`${paths.reports(dataset, batch)}/_partials`),
      this.predictions.detail(dataset, batch, etl.partitions),
    ]);
    return {
      summary: { ...etl, stages: { ...etl.stages, predict: stage } },
      manifest: this.manifests.get(key) ?? null,
      report: this.reports.get(key) ?? null,
      partitions: partitionProgress(etl.stages.raw.total, {
        raw: partitionNumbers(raw, 'parquet'),
        clean: partitionNumbers(clean, 'parquet'),
        partial: partitionNumbers(partials, 'json'),
      }),
      predictions,
    };
  }

  /** One batch's progress through every stage; `index` is its dataset's predictions. */
  async summary(dataset: string, batch: string, index: DatasetPredictions): Promise<BatchSummary> {
    const etl = await this.etlSummary(dataset, batch);
    const predict = await this.predictions.stage(dataset, batch, etl.partitions, index);
    return { ...etl, stages: { ...etl.stages, predict } };
  }

  /** One batch's progress up to its ETL report; a batch the ETL has finished is answered from the cache. */
  private async etlSummary(dataset: string, batch: string): Promise<EtlSummary> {
    const key = `${dataset}/${batch}`;
    const done = this.finished.get(key);
    if (done) return done;
    const { paths } = this.lake;
    const rawDir = paths.rawBatch(dataset, batch);
    const reportsDir = paths.reports(dataset, batch);
    const [raw, reports, partials, cleanSuccess, folder] = await Promise.all([
      this.listOrEmpty(rawDir),
      this.listOrEmpty(reportsDir),
      this.listOrEmpty(`${reportsDir}/_partials`),
      this.lake.hdfs.exists(`${paths.cleanBatch(dataset, batch)}/_SUCCESS`),
      this.lake.hdfs.stat(rawDir).catch((error: unknown) => {
        if (error instanceof HdfsNotFoundError) return undefined;
        throw error;
      }),
    ]);
    const names = new Set(raw.map((s) => s.name));
    const hasReport = reports.some((s) => s.name === 'etl_report.json');
    const manifest = names.has('_MANIFEST.json') ? await this.manifest(dataset, batch) : undefined;
    const report = hasReport ? await this.report(dataset, batch) : undefined;
    const listing: BatchListing = {
      dataset,
      batch,
      partitions: manifest?.partitions,
      rows: manifest?.rows,
      bytes: manifest?.bytes,
      createdAt: manifest?.createdAt,
      folderTime: folder?.modificationTime ?? 0,
      rawFiles: raw.filter((s) => s.type === 'FILE' && /^part-\d+\.parquet$/.test(s.name)).length,
      manifest: manifest !== undefined,
      published: names.has('_PUBLISHED'),
      partials: partials.filter((s) => s.type === 'FILE' && /^part-\d+\.json$/.test(s.name)).length,
      report: report !== undefined,
      cleanSuccess,
    };
    const summary = summariseBatch(
      listing,
      report
        ? {
            rowsIn: report.rowsIn,
            rowsOut: report.rowsOut,
            seconds: report.seconds,
            rowsPerSecond: report.rowsPerSecond,
          }
        : null,
    );
    if (summary.state === 'done') this.finished.set(key, summary);
    return summary;
  }

  private async manifest(dataset: string, batch: string): Promise<ManifestJson | undefined> {
    const key = `${dataset}/${batch}`;
    const cached = this.manifests.get(key);
    if (cached) return cached;
    const manifest = await this.readJson<ManifestJson>(this.lake.paths.manifest(dataset, batch));
    if (manifest) this.manifests.set(key, manifest);
    return manifest;
  }

  private async report(dataset: string, batch: string): Promise<EtlReportJson | undefined> {
    const key = `${dataset}/${batch}`;
    const cached = this.reports.get(key);
    if (cached) return cached;
    const report = await this.readJson<EtlReportJson>(
      `${this.lake.paths.reports(dataset, batch)}/etl_report.json`,
    );
    if (report) this.reports.set(key, report);
    return report;
  }

  private readJson<T>(path: string): Promise<T | undefined> {
    return readJsonOrUndefined<T>(this.lake.hdfs, path);
  }

  private listOrEmpty(path: string): Promise<FileStatus[]> {
    return listOrEmpty(this.lake.hdfs, path);
  }
}
