import { createHash } from 'node:crypto';
import type { SearchKind, TrainingJob } from '@lakestream/contracts';
import type { ModelVersionMetadata } from '@lakestream/models';

const SEARCHES: readonly string[] = ['grid', 'random', 'halving'];

/**
 * The job id of the retrain a batch decided: a pure function of (model, dataset, batch), so a
 * redelivered decision sends the same job and the coordinator plans it once.
 */
export function retrainJobId(model: string, dataset: string, batch: string): string {
  const hash = createHash('sha256').update(`${dataset}/${batch}`).digest('hex').slice(0, 10);
  return `${model}-retrain-${batch}`.slice(0, 100).concat(`-${hash}`);
}

/**
 * A training job that repeats how the production version was trained (features, target,
 * search, space, folds, test fraction, seed) on `batches`. The model is registered under the
 * same name; the coordinator makes it `candidate` while another version is production.
 */
export function retrainJob(
  production: ModelVersionMetadata,
  at: { dataset: string; batch: string },
  batches: string[],
  requestedBy: string,
  requestedAt: number,
): TrainingJob {
  const space =
    production.space && Object.keys(production.space).length ? JSON.stringify(production.space) : '';
  return {
    job: retrainJobId(production.name, at.dataset, at.batch),
    dataset: at.dataset,
    batches,
    features: production.features,
    target: production.target,
    search: (SEARCHES.includes(production.search) ? production.search : 'grid') as SearchKind,
    space,
    cvFolds: Number.isInteger(production.cvFolds) && production.cvFolds >= 2 ? production.cvFolds : 3,
    testFraction: production.testFraction > 0 && production.testFraction < 1 ? production.testFraction : 0.2,
    seed: Number.isInteger(production.seed) ? production.seed : 42,
    maxTrials: null,
    scoring: 'mse',
    model: production.name,
    requestedAt,
    requestedBy,
  };
}
