import {
  jobKey,
  type ModelPublished,
  modelKey,
  TOPICS,
  type TrainingJob,
  type TrialResult,
} from '@lakestream/contracts';
import { InvalidInputError, LakeError, type LakePaths } from '@lakestream/core';
import { histogramOf } from '@lakestream/drift';
import { saveModel } from '@lakestream/forest';
import type { HdfsClient } from '@lakestream/hdfs';
import type { HandlerContext, InboundMessage } from '@lakestream/kafka';
import {
  CANDIDATE,
  MODEL_FILES,
  type ModelRegistry,
  type ModelVersionMetadata,
  PRODUCTION,
  type TrialScore,
} from '@lakestream/models';
import type { Params } from '@lakestream/tuning';
import { TrainingJobError } from './errors';
import { JobStore, type StoredPlan } from './job-store';
import { knownNoiseVariance } from './noise';
import { sklearnParams } from './params';
import { PipelineLog } from './pipeline-log';
import { candidateOf, firstRung, isValidJobId, nextRung, planJob, type RungPlan, rungTrials } from './plan';
import { noSignalWarning, refitAndTest } from './trial';
import { spreadTrialKeys } from './trial-keys';
import { TrainingDataCache } from './data-cache';

export interface CoordinatorOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  registry: ModelRegistry;
  /** Threads of the final refit. */
  refitJobs: number;
  /** Partitions of lake.training.trials: a rung's trials are spread over them evenly (default: by key hash). */
  trialPartitions?: number;
  codeVersion: string;
  /** Bin edges of the predictions' histogram (config drift.bins.prediction): the model's drift reference. */
  predictionEdges?: readonly number[];
  logger: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

const sourceOf = (m: InboundMessage): string => `${m.topic}:${m.partition}:${m.offset}`;

/**
 * The job coordinator, stateless between messages: a job's plan, rungs and results live in
 * HDFS (JobStore), so any member of the coordinator group resumes any job.
 */
export class TrainingCoordinator {
  readonly store: JobStore;
  private readonly cache: TrainingDataCache;

  constructor(private readonly o: CoordinatorOptions) {
    this.store = new JobStore(o.hdfs, o.paths);
    this.cache = new TrainingDataCache(o.hdfs, o.paths, { keepTest: true });
  }

  private readonly plans = new Map<string, StoredPlan>();
  private readonly rungs = new Map<string, RungPlan>();

  /** A job's plan; stored once and never changed, so it is read from HDFS once per coordinator. */
  private async plan(job: string): Promise<StoredPlan | undefined> {
    let plan = this.plans.get(job);
    if (!plan) {
      plan = await this.store.plan(job);
      if (plan) {
        if (this.plans.size > 64) this.plans.clear();
        this.plans.set(job, plan);
      }
    }
    return plan;
  }

  private async rung(job: string, index: number): Promise<RungPlan | undefined> {
    const key = `${job}/${index}`;
    let rung = this.rungs.get(key);
    if (!rung) {
      rung = await this.store.rung(job, index);
      if (rung) {
        if (this.rungs.size > 256) this.rungs.clear();
        this.rungs.set(key, rung);
      }
    }
    return rung;
  }

  private async sendRung(plan: StoredPlan, rung: RungPlan, ctx: HandlerContext): Promise<void> {
    const specs = rungTrials(plan, rung);
    const keys = spreadTrialKeys(specs, this.o.trialPartitions ?? 0);
    for (let i = 0; i < specs.length; i++) await ctx.send(TOPICS.trainingTrials.name, keys[i]!, specs[i]);
  }

  /**
   * Loads and prepares the job's data for the refit while the trials run (an error here is
   * only logged: the refit asks again and reports it).
   */
  private preload(job: TrainingJob): void {
    this.cache
      .get(job)
      .catch((error: unknown) =>
        this.o.logger.warn(
          { job: job.job, err: (error as Error).message },
          'preloading the refit data failed',
        ),
      );
  }

  /** A TrainingJob: plan it, store the plan, send the first rung's TrialSpecs with the job's offset. */
  async onJob(message: InboundMessage, ctx: HandlerContext): Promise<void> {
    const job = message.value as TrainingJob;
    let plan: StoredPlan;
    try {
      plan = { ...planJob(job), source: sourceOf(message), createdAt: Date.now() };
      for (const batch of job.batches)
        if (!(await this.o.hdfs.exists(`${this.o.paths.cleanBatch(job.dataset, batch)}/_SUCCESS`)))
          throw new InvalidInputError(
            `batch ${job.dataset}/${batch} has no complete clean data (no _SUCCESS)`,
            'batches',
          );
    } catch (error) {
      if (error instanceof LakeError && error.retriable) throw error;
      if (isValidJobId(job.job))
        await this.store.saveOutcome({
          job: job.job,
          status: 'failed',
          model: job.model,
          version: null,
          error: (error as Error).message,
          finishedAt: Date.now(),
        });
      throw new TrainingJobError(job.job, (error as Error).message, { cause: error });
    }
    const stored = await this.store.savePlan(plan);
    if (stored.source !== plan.source) {
      this.o.logger.warn({ job: job.job }, 'training job submitted again with the same id; ignored');
      return;
    }
    const rung = firstRung(stored);
    await this.store.saveRung(job.job, rung);
    await this.sendRung(stored, rung, ctx);
    this.preload(stored.job);
    this.o.logger.info(
      { job: job.job, candidates: stored.candidates.length, folds: job.cvFolds, search: job.search },
      'training job planned',
    );
  }

  /** A TrialResult: record it (duplicates ignored); the message that completes a rung closes it. */
  async onResult(message: InboundMessage, ctx: HandlerContext): Promise<void> {
    const result = message.value as TrialResult;
    const plan = await this.plan(result.job);
    if (!plan) {
      this.o.logger.warn({ job: result.job }, 'result of an unknown job; ignored');
      return;
    }
    await this.store.addResult(result);
    const rung = await this.rung(result.job, result.rung);
    if (!rung) return;
    // Counting is one listing; the results are read only by the message that closes the rung.
    if ((await this.store.countResults(result.job, rung.index)) < rung.candidates.length * plan.job.cvFolds)
      return;
    if (!(await this.store.claimClose(result.job, rung.index, sourceOf(message)))) return;
    const results = await this.store.results(result.job);
    const mine = results.filter((r) => r.rung === rung.index);
    const scores = meanScores(mine);
    const next = nextRung(plan, rung, scores);
    if (next) {
      await this.store.saveRung(plan.job.job, next);
      await this.sendRung(plan, next, ctx);
      this.preload(plan.job);
      this.o.logger.info(
        { job: plan.job.job, rung: next.index, candidates: next.candidates.length },
        'next rung',
      );
      return;
    }
    try {
      await this.finish(plan, rung, results, ctx);
    } catch (error) {
      if (error instanceof LakeError && error.retriable) throw error;
      // It would fail again on every redelivery: end the job, saying why.
      await this.store.saveOutcome({
        job: plan.job.job,
        status: 'failed',
        model: plan.job.model,
        version: null,
        error: `refit or publication failed: ${(error as Error).message}`,
        finishedAt: Date.now(),
      });
      this.o.logger.warn({ job: plan.job.job, err: (error as Error).message }, 'training job failed');
    }
  }

  private async finish(
    plan: StoredPlan,
    last: RungPlan,
    results: TrialResult[],
    ctx: HandlerContext,
  ): Promise<void> {
    const { job } = plan;
    const log = new PipelineLog();
    log.info(
      `Training job ${job.job}: ${job.search} search of ${plan.candidates.length} candidates, ${job.cvFolds}-fold CV, test fraction ${job.testFraction}, seed ${job.seed}`,
      plan.createdAt,
    );
    const trials = trialScores(plan, results);
    const finished = new Map<string, number>();
    for (const r of results) {
      const key = `${r.rung}/${r.trial}`;
      finished.set(key, Math.max(finished.get(key) ?? 0, r.finishedAt));
    }
    for (const t of trials)
      log.info(
        `Trial ${t.trial} rung ${t.rung} ${JSON.stringify(t.params)}: mean CV MSE ${t.cvMse ?? 'failed'} (${t.rows} training rows over ${t.foldMse.length} folds)`,
        finished.get(`${t.rung}/${t.trial}`),
      );
    const lastScores = meanScores(results.filter((r) => r.rung === last.index));
    let best: number | undefined;
    for (const c of last.candidates) {
      const s = lastScores.get(c);
      if (s !== undefined && (best === undefined || s < lastScores.get(best)!)) best = c;
    }
    if (best === undefined) {
      await this.store.saveOutcome({
        job: job.job,
        status: 'failed',
        model: job.model,
        version: null,
        error: `every candidate failed (${results.find((r) => r.error)?.error ?? 'no score'})`,
        finishedAt: Date.now(),
      });
      this.o.logger.warn({ job: job.job }, 'every candidate failed; nothing published');
      return;
    }
    const bestParams: Params = plan.candidates[best]!;
    const bestCvMse = lastScores.get(best)!;
    log.info(`Best parameters: ${JSON.stringify(sklearnParams(bestParams))} (CV MSE ${bestCvMse})`);
    log.info(`Loading data from HDFS for the refit: ${job.dataset} batches ${job.batches.join(', ')}`);
    const data = await this.cache.get(job);
    log.info(`Data loaded: ${data.nRows} rows (${data.dropped} with missing values dropped)`);
    const scaler = data.prepared.scaler;
    log.info(
      `Features: ${job.features.join(', ')}; target: ${job.target}; StandardScaler fitted on the training split`,
    );
    const refit = await refitAndTest(data.prepared, job, bestParams, this.o.refitJobs);
    log.info(`Best model refitted on ${refit.train.rows} rows in ${refit.seconds.toFixed(2)} s`);
    log.info(`Model Evaluation - Mean Squared Error: ${refit.test.mse}`);
    log.info(`Test RMSE ${refit.test.rmse}, R² ${refit.test.r2} on ${refit.test.rows} rows`);
    const warning = noSignalWarning(refit.test.mse, refit.baselineMse, refit.test.rows, refit.test.r2);
    if (warning) log.warning(warning);
    const noiseVariance = await knownNoiseVariance(
      this.o.hdfs,
      this.o.paths,
      job.dataset,
      job.batches,
      job.features,
      job.target,
    );
    if (noiseVariance !== null)
      log.info(
        `Known noise variance ${noiseVariance}: test MSE is ${(refit.test.mse / noiseVariance).toFixed(4)} × noise`,
      );
    const version = await this.o.registry.allocateVersion(job.model, job.job);
    const { bytes, metadata: forest } = saveModel(refit.model, { featureNames: job.features });
    const firstResult = Math.min(...results.map((r) => r.finishedAt - r.trainMs));
    const searchSeconds =
      (Math.max(...results.map((r) => r.finishedAt)) - Math.min(firstResult, plan.createdAt)) / 1000;
    const metadata: ModelVersionMetadata = {
      name: job.model,
      version,
      job: job.job,
      dataset: job.dataset,
      features: job.features,
      target: job.target,
      search: job.search,
      space: plan.space,
      cvFolds: job.cvFolds,
      testFraction: job.testFraction,
      seed: job.seed,
      bestParams: sklearnParams(bestParams),
      bestCvMse,
      trials,
      test: refit.test,
      train: refit.train,
      noiseVariance,
      noSignal: warning ? { warning, r2: refit.test.r2 } : null,
      lineage: { batches: job.batches, files: data.files },
      codeVersion: this.o.codeVersion,
      timings: {
        searchSeconds,
        refitSeconds: refit.seconds,
        totalSeconds: (Date.now() - plan.createdAt) / 1000,
      },
      forest,
      ...(this.o.predictionEdges && refit.test.rows > 0
        ? {
            reference: {
              prediction: histogramOf('prediction', this.o.predictionEdges, refit.testPredictions),
              rows: refit.test.rows,
            },
          }
        : {}),
      createdAt: Date.now(),
    };
    log.info(`Model saved to ${this.o.registry.versionDir(job.model, version)}`);
    await this.o.registry.publishVersion(job.model, version, {
      [MODEL_FILES.model]: bytes,
      [MODEL_FILES.forestJson]: JSON.stringify(forest),
      [MODEL_FILES.scaler]: JSON.stringify(scaler.toJSON()),
      [MODEL_FILES.metadata]: JSON.stringify(metadata, null, 2),
      [MODEL_FILES.log]: log.toString(),
    });
    const aliases = await this.o.registry.aliases(job.model);
    const alias =
      aliases[PRODUCTION] === undefined || aliases[PRODUCTION] === version ? PRODUCTION : CANDIDATE;
    await this.o.registry.promote(job.model, version, alias, {
      reason:
        alias === PRODUCTION
          ? `first version of ${job.model} (job ${job.job})`
          : `trained by job ${job.job} while v${aliases[PRODUCTION]} is production`,
      by: this.o.codeVersion,
    });
    await this.store.saveOutcome({
      job: job.job,
      status: 'published',
      model: job.model,
      version,
      error: null,
      finishedAt: Date.now(),
    });
    const published: ModelPublished = {
      name: job.model,
      version,
      path: this.o.registry.versionDir(job.model, version),
      metrics: {
        test_mse: refit.test.mse,
        test_rmse: refit.test.rmse,
        test_r2: refit.test.r2,
        cv_mse: bestCvMse,
        baseline_mse: refit.baselineMse,
      },
      params: JSON.stringify(sklearnParams(bestParams)),
      features: job.features,
      target: job.target,
      lineage: {
        job: job.job,
        dataset: job.dataset,
        batches: job.batches,
        files: data.files.map(({ path, checksum }) => ({ path, checksum })),
      },
      alias,
      noiseVariance,
      createdAt: metadata.createdAt,
    };
    await ctx.send(TOPICS.models.name, modelKey(job.model), published);
    this.o.logger.info(
      { job: job.job, model: job.model, version, testMse: refit.test.mse },
      'model published',
    );
  }
}

/** Mean validation MSE per candidate over the folds; a candidate with a failed fold gets none. */
export function meanScores(results: TrialResult[]): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number; failed: boolean }>();
  for (const r of results) {
    const c = candidateOf(r.trial);
    const s = sums.get(c) ?? { sum: 0, n: 0, failed: false };
    if (r.status !== 'ok' || r.score === null) s.failed = true;
    else {
      s.sum += r.score;
      s.n++;
    }
    sums.set(c, s);
  }
  const out = new Map<number, number>();
  for (const [c, s] of sums) if (!s.failed && s.n > 0) out.set(c, s.sum / s.n);
  return out;
}

export function trialScores(plan: StoredPlan, results: TrialResult[]): TrialScore[] {
  const groups = new Map<string, TrialResult[]>();
  for (const r of results) {
    const key = `${r.rung}/${r.trial}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((rs) => {
      const folds = [...rs].sort((a, b) => a.fold - b.fold);
      const ok = folds.every((r) => r.status === 'ok' && r.score !== null);
      return {
        trial: folds[0]!.trial,
        params: sklearnParams(plan.candidates[candidateOf(folds[0].trial)]!),
        rung: folds[0]!.rung,
        cvMse: ok ? folds.reduce((s, r) => s + r.score!, 0) / folds.length : null,
        foldMse: folds.map((r) => r.score),
        rows: folds.reduce((s, r) => s + r.rows, 0),
        trainMs: folds.reduce((s, r) => s + r.trainMs, 0),
      };
    })
    .sort((a, b) => a.rung - b.rung || a.trial.localeCompare(b.trial));
}

export { jobKey };
