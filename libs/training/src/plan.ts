import { InvalidInputError, isValidName } from '@lakestream/core';
import type { TrainingJob, TrialSpec } from '@lakestream/contracts';
import {
  gridCandidates,
  type Params,
  paramsKey,
  randomCandidates,
  type Rung,
  STUDY_GRID,
  SuccessiveHalving,
  validateSpace,
} from '@lakestream/tuning';
import { normaliseSpace } from './params';

/** The default number of random / halving candidates when the job gives no maxTrials. */
export const DEFAULT_RANDOM_TRIALS = 10;
export const HALVING_ETA = 3;

/** A job's candidates, fixed once when the job arrives (stored with it in HDFS). */
export interface JobPlan {
  job: TrainingJob;
  space: Record<string, unknown>;
  candidates: Params[];
  /** Rungs of successive halving (1 for grid and random). */
  rungs: number;
  minFraction: number;
}

/** The plan of one rung: which candidates (by index) train on which fraction of rows. */
export interface RungPlan {
  index: number;
  fraction: number;
  candidates: number[];
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Job ids become HDFS folder names: letters, digits, '_', '.', '-', not starting with a symbol. */
export function isValidJobId(job: unknown): job is string {
  return typeof job === 'string' && JOB_ID.test(job) && !job.includes('..');
}

export function trialId(candidate: number): string {
  return `p${String(candidate).padStart(3, '0')}`;
}

export function candidateOf(trial: string): number {
  return Number(trial.slice(1));
}

/** Checks a job and expands its candidates; throws InvalidInputError naming the field. */
export function planJob(job: TrainingJob): JobPlan {
  if (!isValidJobId(job.job)) throw new InvalidInputError(`invalid job id ${JSON.stringify(job.job)}`, 'job');
  for (const [kind, v] of [
    ['dataset', job.dataset],
    ['model', job.model],
  ] as const)
    if (!isValidName(v)) throw new InvalidInputError(`invalid ${kind} name ${JSON.stringify(v)}`, kind);
  if (job.features.length === 0) throw new InvalidInputError('no feature columns', 'features');
  if (job.features.includes(job.target))
    throw new InvalidInputError(`the target ${job.target} is also a feature`, 'target');
  if (!Number.isInteger(job.cvFolds) || job.cvFolds < 2 || job.cvFolds > 20)
    throw new InvalidInputError(`cvFolds ${job.cvFolds}: expected an integer in 2..20`, 'cvFolds');
  if (!(job.testFraction > 0 && job.testFraction < 1))
    throw new InvalidInputError(
      `testFraction ${job.testFraction}: expected a number in (0, 1)`,
      'testFraction',
    );
  if ((job.scoring ?? 'mse') !== 'mse')
    throw new InvalidInputError(`scoring ${job.scoring}: only mse is supported`, 'scoring');
  const raw = job.space.trim() === '' ? STUDY_GRID : validateSpace(JSON.parse(job.space));
  const space = normaliseSpace(raw);
  const max = job.maxTrials ?? undefined;
  let candidates: Params[];
  if (job.search === 'grid') candidates = gridCandidates(space);
  else if (job.search === 'random' || job.search === 'halving')
    candidates = randomCandidates(space, max ?? DEFAULT_RANDOM_TRIALS, job.seed);
  else
    throw new InvalidInputError(
      `search ${job.search} is not supported yet (grid, random, halving)`,
      'search',
    );
  if (job.search === 'grid' && max !== undefined) candidates = candidates.slice(0, max);
  if (candidates.length === 0) throw new InvalidInputError('the search space has no candidates', 'space');
  if (job.search === 'halving') {
    const h = new SuccessiveHalving(candidates, { eta: HALVING_ETA });
    return { job, space, candidates, rungs: h.rungs, minFraction: h.minFraction };
  }
  return { job, space, candidates, rungs: 1, minFraction: 1 };
}

export function firstRung(plan: JobPlan): RungPlan {
  return { index: 0, fraction: plan.minFraction, candidates: plan.candidates.map((_, i) => i) };
}

/**
 * The rung after `rung` given mean CV scores by candidate index; undefined when it was the last.
 * Successive halving keeps the best 1/eta and multiplies the rows by eta.
 */
export function nextRung(plan: JobPlan, rung: RungPlan, scores: Map<number, number>): RungPlan | undefined {
  if (plan.rungs <= 1) return undefined;
  const h = new SuccessiveHalving(plan.candidates, { eta: HALVING_ETA });
  const asRung: Rung = {
    index: rung.index,
    fraction: rung.fraction,
    candidates: rung.candidates.map((i) => plan.candidates[i]!),
  };
  const byKey = new Map<string, number>();
  for (const i of rung.candidates)
    byKey.set(paramsKey(plan.candidates[i]!), scores.get(i) ?? Number.POSITIVE_INFINITY);
  const next = h.next(asRung, byKey);
  if (!next) return undefined;
  const indexOf = new Map(plan.candidates.map((p, i) => [paramsKey(p), i]));
  return {
    index: next.index,
    fraction: next.fraction,
    candidates: next.candidates.map((p) => indexOf.get(paramsKey(p))!),
  };
}

/** The TrialSpecs of a rung: every candidate × every fold. */
export function rungTrials(plan: JobPlan, rung: RungPlan, now = Date.now()): TrialSpec[] {
  const out: TrialSpec[] = [];
  for (const c of rung.candidates)
    for (let fold = 0; fold < plan.job.cvFolds; fold++)
      out.push({
        job: plan.job.job,
        trial: trialId(c),
        params: JSON.stringify(plan.candidates[c]),
        fold,
        folds: plan.job.cvFolds,
        sampleFraction: rung.fraction,
        rung: rung.index,
        attempt: 1,
        createdAt: now,
      });
  return out;
}
