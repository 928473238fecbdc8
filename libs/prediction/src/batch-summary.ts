import type { LakePaths } from '@lakestream/core';
import { type Histogram, mergeHistograms } from '@lakestream/drift';
import { type HdfsClient, HdfsNotFoundError, createIfAbsent, readJsonFile } from '@lakestream/hdfs';
import type { PredictionPartial } from './prediction-partial';

/** prediction.json of a batch: what `lake predict` and the dashboard show. */
export interface PredictionSummary {
  dataset: string;
  batch: string;
  model: string;
  version: number;
  path: string;
  partitions: number;
  rows: number;
  predicted: number;
  /** Wall time from the first partition started to the last one finished. */
  seconds: number;
  rowsPerSecond: number;
  /** Sum of the partitions' own times (their work, whatever the parallelism). */
  workerSeconds: number;
  /** MSE against the target over `labelled` rows; null when the data has no target. */
  mse: number | null;
  labelled: number;
  /** The predictions' histogram, merged from the partials; absent when a partial has none. */
  histogram?: Histogram;
  workers: string[];
  peakRss: number;
  createdAt: number;
}

export const PREDICTION_FILES = {
  summary: 'prediction.json',
  log: 'prediction.log',
  success: '_SUCCESS',
} as const;

/**
 * Merges the partials of a batch's predictions once every partition has reported. The files
 * are created exclusively (summary, log, whatever `beforeSuccess` writes, then _SUCCESS last),
 * so whichever worker gets there first writes them, a retry completes what a crash left out,
 * and a reader who waits for _SUCCESS finds every other file. Undefined while incomplete.
 */
export async function completeBatch(
  hdfs: HdfsClient,
  paths: LakePaths,
  target: { dataset: string; batch: string; model: string; version: number; partitions: number },
  o: { beforeSuccess?: (summary: PredictionSummary) => Promise<void> } = {},
): Promise<PredictionSummary | undefined> {
  const dir = paths.predictions(target.dataset, target.model, target.version, target.batch);
  let summary = await readJsonFile<PredictionSummary>(hdfs, `${dir}/${PREDICTION_FILES.summary}`);
  if (!summary) {
    const partialDir = `${dir}/_partials`;
    const names = await hdfs.list(partialDir).then(
      (entries) => entries.filter((e) => e.type === 'FILE' && e.name.endsWith('.json')).map((e) => e.name),
      (error) => {
        if (error instanceof HdfsNotFoundError) return [];
        throw error;
      },
    );
    if (names.length < target.partitions) return undefined;
    const partials = (
      await Promise.all(names.map((n) => readJsonFile<PredictionPartial>(hdfs, `${partialDir}/${n}`)))
    ).filter((p): p is PredictionPartial => p !== undefined);
    const merged = summarise(target, dir, partials);
    await createIfAbsent(hdfs, `${dir}/${PREDICTION_FILES.summary}`, JSON.stringify(merged, null, 2));
    summary = (await readJsonFile<PredictionSummary>(hdfs, `${dir}/${PREDICTION_FILES.summary}`)) ?? merged;
  }
  await createIfAbsent(hdfs, `${dir}/${PREDICTION_FILES.log}`, predictionLog(summary));
  await o.beforeSuccess?.(summary);
  await createIfAbsent(hdfs, `${dir}/${PREDICTION_FILES.success}`, '');
  return summary;
}

export function summarise(
  target: { dataset: string; batch: string; model: string; version: number; partitions: number },
  dir: string,
  partials: PredictionPartial[],
): PredictionSummary {
  let rows = 0;
  let predicted = 0;
  let sse = 0;
  let labelled = 0;
  let workerSeconds = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let peakRss = 0;
  let hasTarget = false;
  const workers = new Set<string>();
  for (const p of partials) {
    rows += p.written.rows;
    predicted += p.predicted;
    if (p.sse !== null) {
      hasTarget = true;
      sse += p.sse;
      labelled += p.labelled;
    }
    workerSeconds += p.written.seconds;
    first = Math.min(first, p.startedAt);
    last = Math.max(last, p.finishedAt);
    peakRss = Math.max(peakRss, p.memory.rssAfter);
    workers.add(p.worker);
  }
  const seconds = partials.length ? (last - first) / 1000 : 0;
  const histograms = partials.map((p) => p.histogram).filter((h): h is Histogram => h !== undefined);
  // Partials binned on other edges (a config change between attempts) leave the batch without one.
  let histogram: Histogram | undefined;
  if (histograms.length === partials.length && partials.length > 0) {
    try {
      histogram = mergeHistograms(histograms);
    } catch {
      histogram = undefined;
    }
  }
  return {
    ...target,
    path: dir,
    rows,
    predicted,
    seconds,
    rowsPerSecond: seconds > 0 ? rows / seconds : 0,
    workerSeconds,
    mse: hasTarget && labelled > 0 ? sse / labelled : null,
    labelled,
    ...(histogram ? { histogram } : {}),
    workers: [...workers].sort(),
    peakRss,
    createdAt: Date.now(),
  };
}

const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');

/** The batch's prediction.log, in the study's logging format. */
export function predictionLog(s: PredictionSummary): string {
  const at = stamp(s.createdAt);
  const lines = [
    `Loaded model ${s.model} v${s.version} (hdfs:///lake/models/${s.model}/v${s.version})`,
    `Predicting ${s.dataset}/${s.batch}: ${s.partitions} partitions, ${s.rows} rows`,
    `Predictions written to hdfs://${s.path} (${s.predicted} rows predicted, ${s.rows - s.predicted} with a missing feature)`,
    `Inference time: ${s.seconds.toFixed(2)} seconds (${Math.round(s.rowsPerSecond)} rows/s; ${s.workerSeconds.toFixed(2)} worker-seconds on ${s.workers.length} worker(s))`,
    s.mse === null
      ? 'No target column in the data: MSE not computed'
      : `Mean Squared Error against the target: ${s.mse} over ${s.labelled} rows`,
  ];
  return `${lines.map((l) => `${at} - INFO - ${l}`).join('\n')}\n`;
}
