import type { PredictionsWritten } from '@lakestream/contracts';
import type { Histogram } from '@lakestream/drift';

/**
 * What predicting one partition produced, stored beside the predictions as
 * `_partials/part-<p>.json`: written last, so its presence means the partition is done.
 */
export interface PredictionPartial {
  written: PredictionsWritten;
  /** Rows with every feature present. */
  predicted: number;
  /** Σ(prediction − target)² over `labelled` rows, null when the data has no target. */
  sse: number | null;
  labelled: number;
  /** The predictions' fixed-bin histogram (drift of the model's output); absent without edges. */
  histogram?: Histogram;
  startedAt: number;
  finishedAt: number;
  /** read: HDFS + sha256 + Parquet decode; predict: features, scaling, forest; encode: Parquet; write: HDFS. */
  timings: { readMs: number; predictMs: number; encodeMs: number; writeMs: number };
  memory: { rssBefore: number; rssAfter: number };
  worker: string;
}
