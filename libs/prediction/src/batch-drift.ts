import type { DriftDetected } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import {
  compareHistograms,
  type DriftThresholds,
  type FeatureDrift,
  type Histogram,
  mergeHistogramLists,
  sameEdges,
  totalCount,
} from '@lakestream/drift';
import { type HdfsClient, createIfAbsent, readJsonFile } from '@lakestream/hdfs';
import type { ModelVersionMetadata } from '@lakestream/models';
import type { PredictionSummary } from './batch-summary';

export const DRIFT_FILE = 'drift.json';

export interface DriftOptions extends DriftThresholds {
  /** Live MSE above this multiple of the model's test MSE is an alert. */
  mseRatio: number;
}

/** What a batch is compared on, with the reference from the scoring model's training data. */
export interface DriftInputs {
  /** The model's features, then its target: the columns compared when both sides have a histogram. */
  columns: string[];
  /** ETL histograms of the training batches, merged. */
  reference: Histogram[];
  /** ETL histograms of the batch. */
  current: Histogram[];
  /** The model's predictions on data like its training data (its test split), when known. */
  referencePrediction?: Histogram;
  /** The batch's predictions. */
  currentPrediction?: Histogram;
  liveMse: number | null;
  testMse: number | null;
}

export interface DriftVerdict {
  drifts: FeatureDrift[];
  /** Why a column was not compared (no reference, no histogram, different edges). */
  notes: string[];
  mse: { live: number | null; test: number | null; ratio: number | null; exceeded: boolean };
  /** Threshold breaches, one line each; an alert goes out when there is any. */
  reasons: string[];
  alert: boolean;
}

/** drift.json of a batch's predictions: every comparison, the histograms side by side, the verdict. */
export interface BatchDrift extends DriftVerdict {
  dataset: string;
  batch: string;
  model: string;
  version: number;
  /** The batches whose ETL histograms are the reference (the model's training batches). */
  referenceBatches: string[];
  /** Where the prediction reference comes from, or null when there is none. */
  predictionReference: string | null;
  thresholds: DriftOptions;
  /** Partition whose handler wrote this file: only it sends the alert (again, on redelivery). */
  builtBy: number;
  path: string;
  createdAt: number;
}

/**
 * The verdict on a batch, pure: PSI and binned KS per column and for the predictions, each
 * against its reference, and the live MSE against the test MSE. A column is compared only with
 * a non-empty histogram on the same edges on both sides; otherwise a note says why not.
 */
export function driftVerdict(inputs: DriftInputs, options: DriftOptions): DriftVerdict {
  const notes: string[] = [];
  const drifts: FeatureDrift[] = [];
  const compare = (column: string, ref: Histogram | undefined, cur: Histogram | undefined) => {
    if (!ref || !cur) notes.push(`${column}: no ${ref ? 'batch' : 'reference'} histogram, not compared`);
    else if (!sameEdges(ref, cur))
      notes.push(`${column}: reference and batch binned on different edges, not compared`);
    else if (totalCount(ref) === 0 || totalCount(cur) === 0)
      notes.push(`${column}: an empty histogram (no values), not compared`);
    else drifts.push(compareHistograms(ref, cur, options));
  };
  for (const column of inputs.columns)
    compare(
      column,
      inputs.reference.find((h) => h.column === column),
      inputs.current.find((h) => h.column === column),
    );
  compare('prediction', inputs.referencePrediction, inputs.currentPrediction);

  const { liveMse: live, testMse: test } = inputs;
  const ratio = live !== null && test !== null && test > 0 ? live / test : null;
  const exceeded = ratio !== null && ratio > options.mseRatio;
  const reasons = drifts.flatMap((d) => d.reasons.map((r) => `${d.column}: ${r}`));
  if (exceeded && ratio !== null)
    reasons.push(
      `mse: live ${live?.toPrecision(6)} is ${ratio.toFixed(2)}× the test MSE ${test?.toPrecision(6)} (> ${options.mseRatio})`,
    );
  return { drifts, notes, mse: { live, test, ratio, exceeded }, reasons, alert: reasons.length > 0 };
}

interface ReportHistograms {
  histograms?: Histogram[];
}

/** The ETL histograms of `batches`, merged column by column, and the batches without any. */
async function etlHistograms(
  hdfs: HdfsClient,
  paths: LakePaths,
  dataset: string,
  batches: readonly string[],
): Promise<{ merged: Histogram[]; missing: string[] }> {
  const lists: Histogram[][] = [];
  const missing: string[] = [];
  for (const b of batches) {
    const report = await readJsonFile<ReportHistograms>(hdfs, `${paths.reports(dataset, b)}/etl_report.json`);
    if (!report?.histograms?.length) missing.push(b);
    else lists.push(report.histograms);
  }
  try {
    return { merged: mergeHistogramLists(lists), missing };
  } catch {
    // Training batches binned on different edges (drift.bins changed between them): no reference.
    return { merged: [], missing: [...batches] };
  }
}

/**
 * The batch's drift against the model's training data: each feature's (and the target's) ETL
 * histogram against the merged ETL histograms of the training batches (metadata lineage), the
 * predictions' histogram against the model's predictions on its test split (metadata
 * reference), and the live MSE against the test MSE. Reads only; `batchDrift` keeps it.
 */
export async function computeBatchDrift(
  hdfs: HdfsClient,
  paths: LakePaths,
  summary: PredictionSummary,
  metadata: ModelVersionMetadata,
  options: DriftOptions,
  builtBy: number,
): Promise<BatchDrift> {
  const referenceBatches = metadata.lineage.batches;
  const reference = await etlHistograms(hdfs, paths, metadata.dataset, referenceBatches);
  const current = await etlHistograms(hdfs, paths, summary.dataset, [summary.batch]);
  const referencePrediction = metadata.reference?.prediction;
  const verdict = driftVerdict(
    {
      columns: [...metadata.features, metadata.target],
      reference: reference.merged,
      current: current.merged,
      ...(referencePrediction ? { referencePrediction } : {}),
      ...(summary.histogram ? { currentPrediction: summary.histogram } : {}),
      liveMse: summary.mse,
      testMse: Number.isFinite(metadata.test?.mse) ? metadata.test.mse : null,
    },
    options,
  );
  if (reference.missing.length)
    verdict.notes.unshift(
      `no ETL histograms for training batch(es) ${reference.missing.join(', ')}: the reference holds ${referenceBatches.length - reference.missing.length} of ${referenceBatches.length}`,
    );
  if (current.missing.length) verdict.notes.unshift(`no ETL histograms in the report of ${summary.batch}`);
  return {
    dataset: summary.dataset,
    batch: summary.batch,
    model: summary.model,
    version: summary.version,
    referenceBatches,
    predictionReference: referencePrediction
      ? `${paths.model(summary.model, summary.version)}/metadata.json (reference.prediction: its test split)`
      : null,
    thresholds: { psi: options.psi, ks: options.ks, mseRatio: options.mseRatio },
    ...verdict,
    builtBy,
    path: `${summary.path}/${DRIFT_FILE}`,
    createdAt: Date.now(),
  };
}

/**
 * drift.json beside prediction.json, created exclusively: the first writer's result stands and
 * every later call (a redelivery, a concurrent finisher) reads that one.
 */
export async function batchDrift(
  hdfs: HdfsClient,
  paths: LakePaths,
  summary: PredictionSummary,
  metadata: ModelVersionMetadata,
  options: DriftOptions,
  builtBy: number,
): Promise<BatchDrift> {
  const path = `${summary.path}/${DRIFT_FILE}`;
  const existing = await readJsonFile<BatchDrift>(hdfs, path);
  if (existing) return existing;
  const drift = await computeBatchDrift(hdfs, paths, summary, metadata, options, builtBy);
  await createIfAbsent(hdfs, path, `${JSON.stringify(drift, null, 2)}\n`);
  return (await readJsonFile<BatchDrift>(hdfs, path)) ?? drift;
}

/** The DriftDetected record (schemas/DriftDetected.avsc) of a batch's drift. */
export function driftDetectedValue(d: BatchDrift): DriftDetected {
  return {
    dataset: d.dataset,
    batch: d.batch,
    model: d.model,
    version: d.version,
    drifts: d.drifts.map((f) => ({ column: f.column, psi: f.psi, ks: f.ks, drifted: f.drifted })),
    reasons: d.reasons,
    liveMse: d.mse.live,
    testMse: d.mse.test,
    reportPath: d.path,
    createdAt: d.createdAt,
  };
}
