import { Injectable } from '@nestjs/common';
import { isValidName } from '@lakestream/core';
import { type BatchDecisionRecord, MonitorLedger } from '@lakestream/monitoring';
import {
  type BatchDrift,
  DRIFT_FILE,
  type ModelChoice,
  PREDICTION_FILES,
  type PredictionSummary,
} from '@lakestream/prediction';
import { LakeClients } from '../lake-clients';
import { partitionNumbers } from './batch-status';
import { listOrEmpty, readJsonOrUndefined } from './hdfs-read';
import {
  type PredictionsListing,
  type PredictionsProgress,
  type PredictStage,
  parsePredictionsFolder,
  predictStage,
} from './predict-stage';

/** Which predictions a dataset holds: the `model=<m>-v<k>` folders per batch and the pinned batches. */
export interface DatasetPredictions {
  folders: Map<string, { model: string; version: number }[]>;
  assigned: Set<string>;
}

export interface VersionPredictions extends PredictionsProgress {
  /** Partitions predicted (each has its `_partials/part-<p>.json`). */
  partitions: number[];
  /** `prediction.json` as stored; null until every partition is predicted. */
  summary: PredictionSummary | null;
  summaryPath: string;
  logPath: string;
  /** `drift.json` as stored (the continuous predictor's, written before _SUCCESS); null without one. */
  drift: BatchDrift | null;
  driftPath: string;
}

export interface BatchPredictions {
  /** `_assignments/batch=<b>.json`: the version pinned for continuous scoring; null when none is. */
  assignment: ModelChoice | null;
  assignmentPath: string;
  /** The pinned version first, then the backfills (as in the predict stage). */
  versions: VersionPredictions[];
  /** The model monitor's decision on the batch (retrain or not, and why); null when it made none. */
  monitor: BatchDecisionRecord | null;
  monitorPath: string | null;
}

const batchOfFolder = (name: string): string | undefined => {
  const batch = name.startsWith('batch=') ? name.slice('batch='.length) : '';
  return isValidName(batch) ? batch : undefined;
};

/**
 * Reads a batch's predictions from HDFS: the pin in `predictions/_assignments/`, each
 * `predictions/model=<m>-v<k>/batch=<b>/` folder's partials and `_SUCCESS`, and its
 * `prediction.json`. Pins and summaries are created once and never change, and a folder with
 * `_SUCCESS` is complete, so those are cached after the first read.
 */
@Injectable()
export class PredictionsService {
  private readonly assignments = new Map<string, ModelChoice>();
  private readonly complete = new Map<string, PredictionsListing>();
  private readonly summaries = new Map<string, PredictionSummary>();
  private readonly drifts = new Map<string, BatchDrift>();
  private readonly decisions = new Map<string, BatchDecisionRecord>();

  constructor(private readonly lake: LakeClients) {}

  /** One listing of the dataset's `predictions/`, its `_assignments/` and each model folder in it. */
  async index(dataset: string): Promise<DatasetPredictions> {
    const { hdfs, paths } = this.lake;
    const root = `${paths.dataset(dataset)}/predictions`;
    const folders = new Map<string, { model: string; version: number }[]>();
    const assigned = new Set<string>();
    const entries = (await listOrEmpty(hdfs, root)).filter((e) => e.type === 'DIRECTORY');
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name === '_assignments') {
          for (const f of await listOrEmpty(hdfs, `${root}/_assignments`)) {
            const batch =
              f.type === 'FILE' && f.name.endsWith('.json') ? batchOfFolder(f.name.slice(0, -5)) : '';
            if (batch) assigned.add(batch);
          }
          return;
        }
        const folder = parsePredictionsFolder(entry.name);
        if (!folder) return;
        for (const b of await listOrEmpty(hdfs, `${root}/${entry.name}`)) {
          const batch = b.type === 'DIRECTORY' ? batchOfFolder(b.name) : undefined;
          if (!batch) continue;
          const list = folders.get(batch) ?? [];
          list.push(folder);
          folders.set(batch, list);
        }
      }),
    );
    return { folders, assigned };
  }

  /** The batch's predict stage; `index` is the dataset's, read once for many batches. */
  async stage(
    dataset: string,
    batch: string,
    partitions: number | null,
    index: DatasetPredictions,
  ): Promise<PredictStage> {
    return (await this.read(dataset, batch, partitions, index)).stage;
  }

  /** The batch's predict stage, and each version's partitions and `prediction.json`. */
  async detail(
    dataset: string,
    batch: string,
    partitions: number | null,
  ): Promise<{ stage: PredictStage; predictions: BatchPredictions }> {
    const { stage, listings } = await this.read(dataset, batch, partitions, await this.index(dataset));
    const versions = await Promise.all(
      stage.versions.map(async (v): Promise<VersionPredictions> => {
        const listing = listings.find((l) => l.model === v.model && l.version === v.version);
        const summaryPath = `${v.path}/${PREDICTION_FILES.summary}`;
        const driftPath = `${v.path}/${DRIFT_FILE}`;
        return {
          ...v,
          partitions: [...(listing?.partials ?? [])].sort((a, b) => a - b),
          summary: v.success ? ((await this.summary(summaryPath)) ?? null) : null,
          summaryPath,
          logPath: `${v.path}/${PREDICTION_FILES.log}`,
          drift: v.success ? ((await this.once(this.drifts, driftPath)) ?? null) : null,
          driftPath,
        };
      }),
    );
    const pinned = stage.assignment;
    const monitorPath = pinned
      ? new MonitorLedger(this.lake.hdfs, this.lake.paths, dataset, pinned.name).decisionPath(batch)
      : null;
    return {
      stage,
      predictions: {
        assignment: stage.assignment,
        assignmentPath: this.lake.paths.predictionAssignment(dataset, batch),
        versions,
        monitor: monitorPath ? ((await this.once(this.decisions, monitorPath)) ?? null) : null,
        monitorPath,
      },
    };
  }

  private async read(
    dataset: string,
    batch: string,
    partitions: number | null,
    index: DatasetPredictions,
  ): Promise<{ stage: PredictStage; listings: PredictionsListing[] }> {
    const [assignment, listings] = await Promise.all([
      index.assigned.has(batch) ? this.assignment(dataset, batch) : null,
      Promise.all(
        (index.folders.get(batch) ?? []).map((f) => this.listing(dataset, batch, f.model, f.version)),
      ),
    ]);
    const stage = predictStage(partitions, assignment, listings, (model, version) =>
      this.lake.paths.predictions(dataset, model, version, batch),
    );
    return { stage, listings };
  }

  private async assignment(dataset: string, batch: string): Promise<ModelChoice | null> {
    const path = this.lake.paths.predictionAssignment(dataset, batch);
    const cached = this.assignments.get(path);
    if (cached) return cached;
    const choice = await readJsonOrUndefined<ModelChoice>(this.lake.hdfs, path);
    if (choice) this.assignments.set(path, choice);
    return choice ?? null;
  }

  private async listing(
    dataset: string,
    batch: string,
    model: string,
    version: number,
  ): Promise<PredictionsListing> {
    const path = this.lake.paths.predictions(dataset, model, version, batch);
    const cached = this.complete.get(path);
    if (cached) return cached;
    // The folder before its partials: _SUCCESS is written after the last partial, so partials
    // listed after seeing it are all there and the listing can be kept.
    const names = new Set((await listOrEmpty(this.lake.hdfs, path)).map((e) => e.name));
    const partials = partitionNumbers(await listOrEmpty(this.lake.hdfs, `${path}/_partials`), 'json');
    const listing = { model, version, path, partials, success: names.has(PREDICTION_FILES.success) };
    if (listing.success) this.complete.set(path, listing);
    return listing;
  }

  /** A file written once (drift.json, a monitor decision): cached once it exists. */
  private async once<T>(cache: Map<string, T>, path: string): Promise<T | undefined> {
    const cached = cache.get(path);
    if (cached) return cached;
    const value = await readJsonOrUndefined<T>(this.lake.hdfs, path);
    if (value) cache.set(path, value);
    return value;
  }

  private async summary(path: string): Promise<PredictionSummary | undefined> {
    const cached = this.summaries.get(path);
    if (cached) return cached;
    const summary = await readJsonOrUndefined<PredictionSummary>(this.lake.hdfs, path);
    if (summary) this.summaries.set(path, summary);
    return summary;
  }
}
