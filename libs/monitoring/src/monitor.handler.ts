import { jobKey, type ModelPublished, type PredictionsWritten, TOPICS } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import { type HdfsClient, readJsonFile } from '@lakestream/hdfs';
import type { HandlerContext, InboundMessage } from '@lakestream/kafka';
import { CANDIDATE, type ChallengeReport, type ModelRegistry } from '@lakestream/models';
import { type BatchDrift, DRIFT_FILE, type ModelChoice } from '@lakestream/prediction';
import { JobStore, planJob } from '@lakestream/training';
import { challengeCandidate } from './challenge';
import { type BatchDecisionRecord, MonitorLedger } from './ledger';
import { decideRetrain, type RetrainPolicy, retrainWindow } from './policy';
import type { PromotionCriterion } from './promotion';
import { retrainJob } from './retrain-job';

export interface MonitorOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  registry: ModelRegistry;
  /** The model whose production version scores new batches (config predictor.model). */
  model: string;
  /** Datasets watched; empty or absent: every dataset. */
  datasets?: readonly string[];
  policy: RetrainPolicy;
  /** Candidates are judged and promoted only when enabled. */
  challenger: PromotionCriterion & { enabled: boolean };
  worker: string;
  onDecision?: (d: BatchDecisionRecord) => void;
  onChallenge?: (
    r: { report: ChallengeReport; promoted: boolean } | { skipped: string; version: number },
  ) => void;
}

const sourceOf = (m: InboundMessage): string => `${m.topic}:${m.partition}:${m.offset}`;

/**
 * The monitor's one consumer, on lake.predictions and lake.models. A batch's first
 * PredictionsWritten seen after its drift.json exists (so after the batch completed) gets the
 * retrain policy's decision, written once to the ledger; a retrain's TrainingJob goes out in
 * the same transaction as that message's offset. A ModelPublished of a candidate is judged
 * against production (champion/challenger).
 */
export function monitorHandler(o: MonitorOptions) {
  const store = new JobStore(o.hdfs, o.paths);

  async function onPredictions(message: InboundMessage, ctx: HandlerContext): Promise<void> {
    const w = message.value as PredictionsWritten;
    if (w.model !== o.model || (o.datasets?.length && !o.datasets.includes(w.dataset))) return;
    const ledger = new MonitorLedger(o.hdfs, o.paths, w.dataset, w.model);
    let decision = await ledger.decision(w.batch);
    if (!decision) {
      // Only the batches production scores as they arrive: a backfill by another version is not monitored.
      const pin = await readJsonFile<ModelChoice>(o.hdfs, o.paths.predictionAssignment(w.dataset, w.batch));
      if (!pin || pin.name !== w.model || pin.version !== w.version) return;
      const dir = o.paths.predictions(w.dataset, w.model, w.version, w.batch);
      const drift = await readJsonFile<BatchDrift>(o.hdfs, `${dir}/${DRIFT_FILE}`);
      if (!drift) return;
      const labelled = drift.mse.live !== null;
      const seq = await ledger.claim({ batch: w.batch, version: w.version, labelled, at: Date.now() });
      const last = await ledger.lastRetrainBefore(seq);
      const running = last && !(await store.outcome(last.job)) ? last.job : null;
      const verdict = decideRetrain(o.policy, { seq, alert: drift.alert, reasons: drift.reasons, running });
      let job: BatchDecisionRecord['job'] = null;
      let reason = verdict.reason;
      if (verdict.retrain) {
        const meta = await o.registry.readMetadata(w.model, w.version);
        const window = retrainWindow(await ledger.recent(seq, o.policy.window), seq, o.policy.window);
        if (!meta) reason = `${reason}; but ${w.model} v${w.version} has no metadata to repeat`;
        else if (window.length === 0) reason = `${reason}; but no labelled batch to train on`;
        else {
          const candidate = retrainJob(meta, w, window, `monitor ${o.worker}: ${verdict.reason}`, Date.now());
          try {
            planJob(candidate);
            job = candidate;
          } catch (error) {
            reason = `${reason}; but the job is invalid: ${(error as Error).message}`;
          }
        }
      }
      decision = await ledger.saveDecision({
        dataset: w.dataset,
        batch: w.batch,
        model: w.model,
        version: w.version,
        seq,
        alert: drift.alert,
        reasons: drift.reasons,
        labelled,
        drift: drift.path,
        policy: o.policy,
        retrain: job !== null,
        reason,
        job,
        decidedBy: sourceOf(message),
        decidedAt: Date.now(),
      });
      o.onDecision?.(decision);
    }
    // The deciding message (or its redelivery) sends the job; the batch's other records do not.
    if (decision.job && decision.decidedBy === sourceOf(message)) {
      await ledger.markRetrain(decision.seq, decision.job.job, decision.batch);
      await ctx.send(TOPICS.trainingJobs.name, jobKey(decision.job.job), decision.job);
    }
  }

  async function onModel(message: InboundMessage): Promise<void> {
    const published = message.value as ModelPublished;
    if (!o.challenger.enabled || published.name !== o.model || published.alias !== CANDIDATE) return;
    const outcome = await challengeCandidate(
      { hdfs: o.hdfs, paths: o.paths, registry: o.registry, criterion: o.challenger, worker: o.worker },
      published.name,
      published.version,
    );
    o.onChallenge?.('skipped' in outcome ? { ...outcome, version: published.version } : outcome);
  }

  return async (message: InboundMessage, ctx: HandlerContext): Promise<void> => {
    if (message.topic === TOPICS.predictions.name) return onPredictions(message, ctx);
    if (message.topic === TOPICS.models.name) return onModel(message);
  };
}

export const MONITOR_TOPICS = [TOPICS.predictions.name, TOPICS.models.name];
