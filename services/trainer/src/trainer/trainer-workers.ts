import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { lakeTopicSpecs } from '@lakestream/contracts';
import { ensureTopicsPatiently } from '@lakestream/kafka';
import {
  LAKE_CONFIG,
  LAKE_LOGGER,
  LAKE_METRICS,
  LAKE_SERVICE,
  type ServiceIdentity,
} from '@lakestream/nest-common';
import type { LakeLogger, LakeMetrics } from '@lakestream/observability';
import { logPoolLifecycle, ThreadPool } from '@lakestream/workers';
import type { CoordinatorThreadData } from '../worker/coordinator-thread';
import type { MonitorThreadData } from '../worker/monitor-thread';
import type { TrialThreadData } from '../worker/trial-thread';

export const TRIALS_GROUP = 'lake-trainer-trials';
export const COORDINATOR_GROUP = 'lake-trainer-coordinator';
export const JOBS_GROUP = 'lake-trainer-jobs';

/**
 * `workers.concurrency` trial workers and one coordinator, each on a worker thread, and the
 * model monitor on one more when monitoring is on (a retrain policy or the challenger).
 */
@Injectable()
export class TrainerWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private trials?: ThreadPool<TrialThreadData>;
  private coordinator?: ThreadPool<CoordinatorThreadData>;
  private monitor?: ThreadPool<MonitorThreadData>;
  private readonly stopped = new AbortController();
  private starting?: Promise<void>;

  constructor(
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    @Inject(LAKE_LOGGER) private readonly logger: LakeLogger,
    @Inject(LAKE_METRICS) private readonly metrics: LakeMetrics,
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = this.start().catch((error: Error) =>
      this.logger.error({ err: error.message }, 'trainer workers did not start'),
    );
  }

  private async start(): Promise<void> {
    const { kafka } = this.config;
    await ensureTopicsPatiently(kafka.brokers, lakeTopicSpecs(kafka), {
      signal: this.stopped.signal,
      onRetry: (error, attempt) =>
        this.logger.warn(
          { attempt, err: (error as Error).message },
          'waiting for Kafka to create the lake topics',
        ),
    });
    if (this.stopped.signal.aborted) return;
    this.trials = new ThreadPool<TrialThreadData>({
      script: join(__dirname, '..', 'worker', 'trial-thread.js'),
      threads: this.config.workers.concurrency,
      data: { config: this.config, groupId: TRIALS_GROUP },
    });
    this.trials.on('event', (e: { event: string; rows?: number; seconds?: number }) => {
      if (e.event !== 'trial') return;
      this.metrics.rowsProcessed.inc({ stage: 'trainer' }, e.rows ?? 0);
      this.metrics.partitionSeconds.observe({ stage: 'trainer' }, e.seconds ?? 0);
    });
    this.coordinator = new ThreadPool<CoordinatorThreadData>({
      script: join(__dirname, '..', 'worker', 'coordinator-thread.js'),
      threads: 1,
      data: {
        config: this.config,
        jobsGroup: JOBS_GROUP,
        resultsGroup: COORDINATOR_GROUP,
        codeVersion: `trainer ${this.service.version}`,
        refitJobs: Math.max(1, this.config.workers.concurrency),
      },
    });
    const { monitoring } = this.config;
    if (monitoring.retrain.policy !== 'off' || monitoring.challenger.enabled)
      this.monitor = new ThreadPool<MonitorThreadData>({
        script: join(__dirname, '..', 'worker', 'monitor-thread.js'),
        threads: 1,
        data: { config: this.config },
      });
    const pools = [this.trials, this.coordinator, ...(this.monitor ? [this.monitor] : [])];
    for (const pool of pools) logPoolLifecycle(pool, this.logger, 'trainer');
    await Promise.all(pools.map((p) => p.start()));
    this.logger.info(
      {
        threads: this.config.workers.concurrency,
        groups: [TRIALS_GROUP, COORDINATOR_GROUP, JOBS_GROUP, ...(this.monitor ? [monitoring.group] : [])],
        ...(this.monitor ? { retrain: monitoring.retrain, challenger: monitoring.challenger.enabled } : {}),
      },
      'trainer workers consuming',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped.abort();
    await this.starting;
    await Promise.all([this.trials?.stop(), this.coordinator?.stop(), this.monitor?.stop()]);
  }
}
