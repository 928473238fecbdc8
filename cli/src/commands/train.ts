import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jobKey, type SearchKind, TOPICS, type TrainingJob } from '@lakestream/contracts';
import { InvalidInputError, sleep } from '@lakestream/core';
import { HdfsNotFoundError } from '@lakestream/hdfs';
import { type ModelVersionMetadata, ModelRegistry } from '@lakestream/models';
import { JobStore, planJob } from '@lakestream/training';
import type { Command } from 'commander';
import { type Clients, lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, printJson, table, yellow } from '../output/print';
import { Progress } from '../output/progress';

interface TrainFlags {
  dataset: string;
  batches?: string;
  features: string;
  target: string;
  search: string;
  space?: string;
  cv: string;
  testFraction: string;
  seed: string;
  maxTrials?: string;
  name: string;
  job?: string;
  wait?: boolean;
  json?: boolean;
  timeout: string;
}

/** Every batch of the dataset whose clean data is complete (clean/_SUCCESS). */
export async function cleanBatches(clients: Clients, dataset: string): Promise<string[]> {
  const dir = `${clients.paths.dataset(dataset)}/clean`;
  let entries: { name: string }[];
  try {
    entries = await clients.hdfs.list(dir);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  }
  const batches = entries.map((e) => /^batch=(.+)$/.exec(e.name)?.[1]).filter((b): b is string => !!b);
  const complete = await Promise.all(
    batches.map((b) => clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, b)}/_SUCCESS`)),
  );
  return batches.filter((_, i) => complete[i]).sort();
}

const int = (v: string, name: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidInputError(`--${name} ${v}: expected an integer`, name);
  return n;
};

/** The job the flags describe; checked here (planJob) before anything is sent. */
export function trainingJob(flags: TrainFlags, batches: string[]): TrainingJob {
  const job: TrainingJob = {
    job: flags.job ?? `${flags.name}-${randomUUID().slice(0, 8)}`,
    dataset: flags.dataset,
    batches,
    features: flags.features
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    target: flags.target,
    search: flags.search as SearchKind,
    space: flags.space ? readFileSync(flags.space, 'utf8') : '',
    cvFolds: int(flags.cv, 'cv'),
    testFraction: Number(flags.testFraction),
    seed: int(flags.seed, 'seed'),
    maxTrials: flags.maxTrials === undefined ? null : int(flags.maxTrials, 'max-trials'),
    scoring: 'mse',
    model: flags.name,
    requestedAt: Date.now(),
    requestedBy: `cli@${process.env.USER ?? 'unknown'}`,
  };
  if (!['grid', 'random', 'halving'].includes(job.search))
    throw new InvalidInputError(`--search ${job.search}: expected grid, random or halving`, 'search');
  if (job.space.trim() !== '') {
    try {
      JSON.parse(job.space);
    } catch (error) {
      throw new InvalidInputError(`--space ${flags.space}: not JSON (${(error as Error).message})`, 'space');
    }
  }
  planJob(job);
  return job;
}

/** What `lake train --json` prints. */
export function trainSummary(m: ModelVersionMetadata, seconds: number) {
  return {
    model: m.name,
    version: m.version,
    job: m.job,
    dataset: m.dataset,
    batches: m.lineage.batches,
    features: m.features,
    target: m.target,
    search: m.search,
    bestParams: m.bestParams,
    cvMse: m.bestCvMse,
    testMse: m.test.mse,
    testRmse: m.test.rmse,
    testR2: m.test.r2,
    noiseVariance: m.noiseVariance,
    noSignal: m.noSignal?.warning ?? null,
    trials: m.trials.length,
    leaderboard: leaderboard(m).map((t) => ({
      trial: t.trial,
      rung: t.rung,
      params: t.params,
      cvMse: t.cvMse,
    })),
    path: `/lake/models/${m.name}/v${m.version}`,
    seconds,
  };
}

function leaderboard(m: ModelVersionMetadata) {
  return [...m.trials].sort(
    (a, b) =>
      b.rung - a.rung || (a.cvMse ?? Number.POSITIVE_INFINITY) - (b.cvMse ?? Number.POSITIVE_INFINITY),
  );
}

export function printTrainResult(m: ModelVersionMetadata): void {
  console.log(bold(`Leaderboard — ${m.name} v${m.version} (${m.search} search, ${m.cvFolds}-fold CV)`));
  console.log(
    table(
      ['rank', 'trial', 'rung', 'params', 'CV MSE'],
      leaderboard(m).map((t, i) => [
        i + 1,
        t.trial,
        t.rung,
        JSON.stringify(t.params),
        t.cvMse?.toFixed(2) ?? 'failed',
      ]),
    ),
  );
  console.log(`\nbest parameters: ${JSON.stringify(m.bestParams)}`);
  console.log(
    `test MSE ${m.test.mse.toFixed(2)}  RMSE ${m.test.rmse.toFixed(2)}  R² ${m.test.r2.toFixed(4)}  on ${m.test.rows} rows` +
      (m.noiseVariance ? `  (${(m.test.mse / m.noiseVariance).toFixed(4)} × noise variance)` : ''),
  );
  if (m.noSignal) console.log(yellow(`warning: ${m.noSignal.warning}`));
  console.log(`model: hdfs:///lake/models/${m.name}/v${m.version}`);
}

/** Polls the job's state in HDFS with progress until it is published or failed. */
export async function waitForJob(
  clients: Clients,
  job: string,
  timeoutMs: number,
  silent: boolean,
): Promise<ModelVersionMetadata> {
  const store = new JobStore(clients.hdfs, clients.paths);
  const registry = new ModelRegistry(clients.hdfs, clients.paths);
  const deadline = Date.now() + timeoutMs;
  let progress: Progress | undefined;
  let expected = 0;
  let reported = -1;
  for (;;) {
    const outcome = await store.outcome(job);
    if (outcome?.status === 'failed')
      throw new InvalidInputError(`training job ${job} failed: ${outcome.error}`, 'job');
    if (outcome?.status === 'published' && outcome.version !== null) {
      progress?.update(expected);
      progress?.done(`${outcome.model} v${outcome.version}`);
      const meta = await registry.readMetadata(outcome.model, outcome.version);
      if (meta) return meta;
    }
    const plan = await store.plan(job);
    if (plan) {
      let total = 0;
      for (let r = 0; ; r++) {
        const rung = await store.rung(job, r);
        if (!rung) break;
        total += rung.candidates.length * plan.job.cvFolds;
      }
      if (total !== expected || !progress) {
        expected = total;
        progress = new Progress(`train ${job}`, expected, 'trials', silent);
        reported = -1;
      }
      const done = await store.countResults(job);
      // Once every trial is in, the coordinator refits the best on the training split: say so once.
      if (done !== reported)
        progress.update(done, done >= expected ? 'refitting the best on the training split' : '');
      reported = done;
    }
    if (Date.now() > deadline)
      throw new InvalidInputError(
        `training job ${job} did not finish within ${timeoutMs / 1000} s; is \`lake serve trainer\` running?`,
        'job',
      );
    await sleep(500);
  }
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('tune and train a model on clean batches (the study: grid search, 3-fold CV, MSE)')
    .option('--dataset <name>', 'dataset to train on', 'employees')
    .option('--batches <ids>', 'comma-separated clean batches (default: every complete clean batch)')
    .option('--features <cols>', 'feature columns', 'age')
    .option('--target <col>', 'target column', 'salary')
    .option('--search <kind>', 'grid, random or halving', 'grid')
    .option(
      '--space <file>',
      'search space JSON: parameter → list or {"type":"int"|"float","low","high"[,"log"]}',
    )
    .option('--cv <k>', 'cross-validation folds', '3')
    .option('--test-fraction <f>', 'held-out test fraction', '0.2')
    .option('--seed <n>', 'seed for split, folds, sampling and forests', '42')
    .option('--max-trials <n>', 'candidates to try (random / halving; caps a grid)')
    .option('--name <model>', 'model name to publish under', 'salary')
    .option('--job <id>', 'job id (default: <name>-<random>)')
    .option('--wait', 'show progress until the model is published, then the leaderboard')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '1800')
    .option('--json', 'print one JSON object (implies --wait)')
    .action(async (flags: TrainFlags) => {
      const clients = lakeClients(cliConfig(program.opts()));
      try {
        const batches = flags.batches
          ? flags.batches.split(',').map((b) => b.trim())
          : await cleanBatches(clients, flags.dataset);
        if (batches.length === 0)
          throw new InvalidInputError(
            `dataset ${flags.dataset} has no complete clean batch; publish one and \`lake wait\` for it`,
            'dataset',
          );
        const job = trainingJob(flags, batches);
        const started = Date.now();
        const producer = await clients.producer();
        await producer.send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
        if (!flags.wait && !flags.json) {
          console.log(`submitted training job ${job.job} (${job.search} search on ${batches.join(', ')})`);
          return;
        }
        if (!flags.json) console.error(`submitted training job ${job.job}`);
        const meta = await waitForJob(clients, job.job, Number(flags.timeout) * 1000, flags.json === true);
        if (flags.json) printJson(trainSummary(meta, (Date.now() - started) / 1000));
        else printTrainResult(meta);
      } finally {
        await clients.close();
      }
    });
}
