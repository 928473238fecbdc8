import type { PredictStage } from './predict-stage';

/** What HDFS holds for one batch, as listed by the batches service. */
export interface BatchListing {
  dataset: string;
  batch: string;
  /** Partitions the manifest declares; undefined until `_MANIFEST.json` is written. */
  partitions?: number;
  rows?: number;
  bytes?: number;
  createdAt?: number;
  /** Modification time of the raw batch folder: the order of batches without a manifest yet. */
  folderTime: number;
  /** `part-*.parquet` files in the raw folder. */
  rawFiles: number;
  manifest: boolean;
  published: boolean;
  /** `_partials/part-*.json` files: partitions the ETL has finished. */
  partials: number;
  report: boolean;
  cleanSuccess: boolean;
}

export interface StageProgress {
  done: number;
  total: number;
}

export type BatchState = 'publishing' | 'published' | 'cleaning' | 'reporting' | 'done';

export interface BatchSummary {
  dataset: string;
  batch: string;
  createdAt: number;
  partitions: number | null;
  rows: number | null;
  bytes: number | null;
  state: BatchState;
  stages: {
    /** Raw partition files written (total: the manifest's partitions, once known). */
    raw: StageProgress & { manifest: boolean; published: boolean };
    /** Partition partials the ETL has written. */
    etl: StageProgress;
    /** etl_report.json written (0/1). */
    report: StageProgress;
    /** clean/_SUCCESS written (0/1). */
    clean: StageProgress;
    /** Partitions predicted by the pinned model version (or a backfill), and every version's predictions. */
    predict: PredictStage;
  };
  report: { rowsIn: number; rowsOut: number; seconds: number; rowsPerSecond: number } | null;
}

/** A batch's progress up to its ETL report: what stops changing once the batch is `done`. */
export type EtlSummary = Omit<BatchSummary, 'stages'> & { stages: Omit<BatchSummary['stages'], 'predict'> };

/** The batch's progress through the publish and ETL stages, from what HDFS holds. */
export function summariseBatch(listing: BatchListing, report: BatchSummary['report'] = null): EtlSummary {
  const total = listing.partitions ?? Math.max(listing.rawFiles, listing.partials);
  const state: BatchState =
    listing.report && listing.cleanSuccess
      ? 'done'
      : listing.partials >= total && total > 0
        ? 'reporting'
        : listing.partials > 0
          ? 'cleaning'
          : listing.published
            ? 'published'
            : 'publishing';
  return {
    dataset: listing.dataset,
    batch: listing.batch,
    createdAt: listing.createdAt ?? listing.folderTime,
    partitions: listing.partitions ?? null,
    rows: listing.rows ?? null,
    bytes: listing.bytes ?? null,
    state,
    stages: {
      raw: {
        done: Math.min(listing.rawFiles, total),
        total,
        manifest: listing.manifest,
        published: listing.published,
      },
      etl: { done: Math.min(listing.partials, total), total },
      report: { done: listing.report ? 1 : 0, total: 1 },
      clean: { done: listing.cleanSuccess ? 1 : 0, total: 1 },
    },
    report,
  };
}

export interface PartitionProgress {
  partition: number;
  /** `raw/batch=<b>/part-<p>.parquet` exists. */
  raw: boolean;
  /** `clean/batch=<b>/part-<p>.parquet` exists. */
  clean: boolean;
  /** `reports/batch=<b>/_partials/part-<p>.json` exists: the ETL is done with the partition. */
  partial: boolean;
}

/** The partition numbers of `part-<p>.<extension>` files among folder entries. */
export function partitionNumbers(
  entries: readonly { name: string; type: string }[],
  extension: string,
): Set<number> {
  const pattern = new RegExp(`^part-(\\d+)\\.${extension}$`);
  const out = new Set<number>();
  for (const e of entries) {
    const m = e.type === 'FILE' ? pattern.exec(e.name) : null;
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/** One entry per partition (0 … total − 1, more if files beyond it exist). */
export function partitionProgress(
  total: number,
  files: { raw: Set<number>; clean: Set<number>; partial: Set<number> },
): PartitionProgress[] {
  const n = Math.max(total, ...[...files.raw, ...files.clean, ...files.partial].map((p) => p + 1));
  return Array.from({ length: n }, (_, partition) => ({
    partition,
    raw: files.raw.has(partition),
    clean: files.clean.has(partition),
    partial: files.partial.has(partition),
  }));
}
