import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import {
  createRegistryCodec,
  jobKey,
  type SearchKind,
  TOPICS,
  type TrainingJob,
} from '@lakestream/contracts';
import { InvalidInputError, LakePaths } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { createProducer, type Producer } from '@lakestream/kafka';
import { LAKE_CONFIG } from '@lakestream/nest-common';
import { isValidJobId, type JobOutcome, JobStore, planJob } from '@lakestream/training';

/** Body of POST /trainer/jobs: the `lake train` flags; missing fields take the study's defaults. */
export interface JobRequest {
  job?: unknown;
  dataset?: unknown;
  batches?: unknown;
  features?: unknown;
  target?: unknown;
  search?: unknown;
  space?: unknown;
  cvFolds?: unknown;
  testFraction?: unknown;
  seed?: unknown;
  maxTrials?: unknown;
  model?: unknown;
  requestedBy?: unknown;
}

export interface JobStatus {
  job: string;
  model: string;
  search: string;
  candidates: number;
  rungs: { index: number; fraction: number; candidates: number }[];
  results: number;
  expected: number;
  outcome: JobOutcome | null;
}

const str = (name: string, v: unknown, fallback: string): string => {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw new InvalidInputError(`${name}: expected a string`, name);
  return v;
};
const num = (name: string, v: unknown, fallback: number): number => {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InvalidInputError(`${name}: expected a number`, name);
  return v;
};
const strings = (name: string, v: unknown, fallback: string[]): string[] => {
  if (v === undefined || v === null) return fallback;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    throw new InvalidInputError(`${name}: expected a list of strings`, name);
  return v as string[];
};

/** Submits training jobs to lake.training.jobs and reports their progress from HDFS. */
@Injectable()
export class TrainingJobsService implements OnApplicationShutdown {
  private producer?: Promise<Producer>;
  private readonly hdfs: HdfsClient;
  private readonly store: JobStore;

  constructor(@Inject(LAKE_CONFIG) private readonly config: LakeConfig) {
    this.hdfs = new HdfsClient({
      namenodeUrl: config.hdfs.namenodeUrl,
      user: config.hdfs.user,
      lakeRoot: config.hdfs.lakeRoot,
    });
    this.store = new JobStore(this.hdfs, new LakePaths(config.hdfs.lakeRoot));
  }

  /** The job a request describes, checked like the coordinator will check it. */
  jobOf(body: JobRequest): TrainingJob {
    const model = str('model', body.model, 'salary');
    const batches = strings('batches', body.batches, []);
    if (batches.length === 0)
      throw new InvalidInputError('batches: name the clean batches to train on', 'batches');
    const space =
      body.space === undefined || body.space === null
        ? ''
        : typeof body.space === 'string'
          ? body.space
          : JSON.stringify(body.space);
    const job: TrainingJob = {
      job: str('job', body.job, `${model}-${randomUUID().slice(0, 8)}`),
      dataset: str('dataset', body.dataset, 'employees'),
      batches,
      features: strings('features', body.features, ['age']),
      target: str('target', body.target, 'salary'),
      search: str('search', body.search, 'grid') as SearchKind,
      space,
      cvFolds: num('cvFolds', body.cvFolds, 3),
      testFraction: num('testFraction', body.testFraction, 0.2),
      seed: num('seed', body.seed, 42),
      maxTrials:
        body.maxTrials === undefined || body.maxTrials === null ? null : num('maxTrials', body.maxTrials, 0),
      scoring: 'mse',
      model,
      requestedAt: Date.now(),
      requestedBy: str('requestedBy', body.requestedBy, 'http'),
    };
    try {
      planJob(job);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new InvalidInputError(`space: not JSON (${error.message})`, 'space');
      throw error;
    }
    return job;
  }

  async submit(body: JobRequest): Promise<TrainingJob> {
    const job = this.jobOf(body);
    this.producer ??= (async () => {
      const p = createProducer({
        brokers: this.config.kafka.brokers,
        clientId: `${this.config.kafka.clientId}-trainer-http`,
        codec: createRegistryCodec({ url: this.config.registry.url }),
      });
      await p.connect();
      return p;
    })();
    this.producer.catch(() => {
      this.producer = undefined;
    });
    await (await this.producer).send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
    return job;
  }

  /** Progress of a job from its state in HDFS; undefined when it is not (yet) planned. */
  async status(job: string): Promise<JobStatus | undefined> {
    if (!isValidJobId(job)) throw new InvalidInputError(`invalid job id ${JSON.stringify(job)}`, 'job');
    const [plan, outcome] = await Promise.all([this.store.plan(job), this.store.outcome(job)]);
    if (!plan)
      return outcome
        ? {
            job,
            model: outcome.model,
            search: '',
            candidates: 0,
            rungs: [],
            results: 0,
            expected: 0,
            outcome,
          }
        : undefined;
    const rungs: JobStatus['rungs'] = [];
    for (let r = 0; ; r++) {
      const rung = await this.store.rung(job, r);
      if (!rung) break;
      rungs.push({ index: rung.index, fraction: rung.fraction, candidates: rung.candidates.length });
    }
    return {
      job,
      model: plan.job.model,
      search: plan.job.search,
      candidates: plan.candidates.length,
      rungs,
      results: await this.store.countResults(job),
      expected: rungs.reduce((s, r) => s + r.candidates * plan.job.cvFolds, 0),
      outcome: outcome ?? null,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const p = await this.producer?.catch(() => undefined);
    await p?.disconnect();
    this.hdfs.close();
  }
}
