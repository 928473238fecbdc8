import { TOPICS, type TrialResult, type TrialSpec, trialKey } from '@lakestream/contracts';
import { LakeError, type LakePaths } from '@lakestream/core';
import type { HdfsClient } from '@lakestream/hdfs';
import type { HandlerContext, InboundMessage } from '@lakestream/kafka';
import { TrainingDataCache } from './data-cache';
import { JobStore, type StoredPlan } from './job-store';
import { runTrial } from './trial';

export interface TrialWorkerOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  /** Name of this worker in results (e.g. trainer@host/pid/1). */
  worker: string;
  /** Threads per forest fit. Default 1: the pool's threads are the parallelism. */
  nJobs?: number;
  onTrial?: (spec: TrialSpec, result: TrialResult) => void;
}

/**
 * The handler of lake.training.trials: loads, scales and bins (once per worker) the job's columns, fits the
 * trial's candidate on its training folds, scores the held-out fold and sends the TrialResult
 * with the trial's offset. A trial that cannot succeed (bad parameters) reports `failed`;
 * a retriable error (HDFS down) throws, so the runner retries and, on a crash, another worker redoes it.
 */
export function trialHandler(o: TrialWorkerOptions) {
  const store = new JobStore(o.hdfs, o.paths);
  const cache = new TrainingDataCache(o.hdfs, o.paths);
  const plans = new Map<string, StoredPlan>();
  return async (message: InboundMessage, ctx: HandlerContext): Promise<void> => {
    const spec = message.value as TrialSpec;
    let plan = plans.get(spec.job);
    if (!plan) {
      plan = await store.plan(spec.job);
      if (!plan) throw new Error(`trial ${spec.job}/${spec.trial}: the job has no plan in HDFS`);
      plans.set(spec.job, plan);
    }
    const { job } = plan;
    const started = Date.now();
    let result: TrialResult;
    try {
      const data = await cache.get(job);
      const outcome = await runTrial(
        data.prepared,
        job,
        spec,
        o.nJobs ?? 1,
        cache.trialRows(data, spec.fold, spec.sampleFraction),
      );
      result = {
        job: spec.job,
        trial: spec.trial,
        fold: spec.fold,
        rung: spec.rung,
        status: 'ok',
        score: outcome.score,
        trainMs: outcome.trainMs,
        rows: outcome.rows,
        worker: o.worker,
        error: null,
        finishedAt: Date.now(),
      };
    } catch (error) {
      // Retriable (HDFS or Kafka down): throw, the runner retries and the offset stays. Anything
      // else will fail again: report it, so the job still ends (the error lands in the metadata).
      if (error instanceof LakeError && error.retriable) throw error;
      result = {
        job: spec.job,
        trial: spec.trial,
        fold: spec.fold,
        rung: spec.rung,
        status: 'failed',
        score: null,
        trainMs: Date.now() - started,
        rows: 0,
        worker: o.worker,
        error: (error as Error).message,
        finishedAt: Date.now(),
      };
    }
    await ctx.send(TOPICS.trainingResults.name, trialKey(spec.job, spec.trial), result);
    o.onTrial?.(spec, result);
  };
}
