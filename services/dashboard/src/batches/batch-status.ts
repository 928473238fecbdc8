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
  };
  report: { rowsIn: number; rowsOut: number; seconds: number; rowsPerSecond: number } | null;
}

/** The batch's progress through each stage, from what HDFS holds. */
export function summariseBatch(listing: BatchListing, report: BatchSummary['report'] = null): BatchSummary {
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
