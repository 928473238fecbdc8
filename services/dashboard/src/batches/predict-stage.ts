import { isValidName } from '@lakestream/core';
import type { ModelChoice } from '@lakestream/prediction';
import type { StageProgress } from './batch-status';

/** `model=<m>-v<k>` → its model and version; undefined for any other folder name. */
export function parsePredictionsFolder(name: string): { model: string; version: number } | undefined {
  // Greedy: a model name may itself contain "-v", the version is the digits after the last one.
  const m = /^model=(.+)-v(\d+)$/.exec(name);
  if (!m || !isValidName(m[1]!)) return undefined;
  const version = Number(m[2]);
  return Number.isSafeInteger(version) ? { model: m[1]!, version } : undefined;
}

/** What HDFS holds for one batch's predictions by one model version. */
export interface PredictionsListing {
  model: string;
  version: number;
  /** `predictions/model=<m>-v<k>/batch=<b>` (it may not exist yet for a freshly pinned version). */
  path: string;
  /** Partitions with a `_partials/part-<p>.json`: predicted. */
  partials: ReadonlySet<number>;
  /** `_SUCCESS` exists: every partition predicted and prediction.json written. */
  success: boolean;
}

export interface PredictionsProgress extends StageProgress {
  model: string;
  version: number;
  path: string;
  /** The version pinned in `_assignments/batch=<b>.json` (continuous scoring); otherwise a backfill. */
  pinned: boolean;
  success: boolean;
}

export interface PredictStage extends StageProgress {
  /** The pinned version, null while the predictor has not chosen one (no model yet, or not reached). */
  assignment: ModelChoice | null;
  /** The predictions the stage's bar counts: the pinned version's, else the first backfill's in `versions`. */
  model: string | null;
  version: number | null;
  success: boolean;
  /** Every predictions folder holding the batch: the pinned one first, then by model name, newest version first. */
  versions: PredictionsProgress[];
}

/**
 * The batch's predict stage: which version scores it, how many partitions it has predicted
 * (of `partitions`, the manifest's count) and which other versions have backfilled it. A pinned
 * version without a folder yet counts as 0 done.
 */
export function predictStage(
  partitions: number | null,
  assignment: ModelChoice | null,
  listings: readonly PredictionsListing[],
  pinnedPath: (model: string, version: number) => string,
): PredictStage {
  const isPinned = (l: { model: string; version: number }) =>
    assignment !== null && l.model === assignment.name && l.version === assignment.version;
  const all = [...listings];
  if (assignment && !all.some(isPinned))
    all.push({
      model: assignment.name,
      version: assignment.version,
      path: pinnedPath(assignment.name, assignment.version),
      partials: new Set(),
      success: false,
    });
  const versions = all
    .map((l): PredictionsProgress => {
      const total = partitions ?? Math.max(0, ...[...l.partials].map((p) => p + 1));
      return {
        model: l.model,
        version: l.version,
        path: l.path,
        pinned: isPinned(l),
        done: Math.min(l.partials.size, total),
        total,
        success: l.success,
      };
    })
    .sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) || a.model.localeCompare(b.model) || b.version - a.version,
    );
  const shown = versions[0];
  return {
    done: shown?.done ?? 0,
    total: shown?.total ?? partitions ?? 0,
    assignment,
    model: shown?.model ?? null,
    version: shown?.version ?? null,
    success: shown?.success ?? false,
    versions,
  };
}
