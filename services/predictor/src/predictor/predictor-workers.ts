import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { lakeTopicSpecs } from '@lakestream/contracts';
import { ensureTopicsPatiently } from '@lakestream/kafka';
import { LAKE_CONFIG, LAKE_LOGGER, LAKE_METRICS } from '@lakestream/nest-common';
import type { LakeLogger, LakeMetrics } from '@lakestream/observability';
import { logPoolLifecycle, ThreadPool } from '@lakestream/workers';
import type { PredictorThreadData } from '../worker/predictor-thread';

interface PartitionEvent {
  event: string;
  model?: string;
  version?: number;
  rows?: number;
  seconds?: number;
}

/** `workers.concurrency` predictor consumers on worker threads, supervised for the service's lifetime. */
@Injectable()
export class PredictorWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private pool?: ThreadPool<PredictorThreadData>;
  private readonly stopped = new AbortController();
  private starting?: Promise<void>;

  constructor(
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    @Inject(LAKE_LOGGER) private readonly logger: LakeLogger,
    @Inject(LAKE_METRICS) private readonly metrics: LakeMetrics,
  ) {}

  /** Starts in the background: the HTTP side (health, metrics) is up even while Kafka is not. */
  onApplicationBootstrap(): void {
    this.starting = this.start().catch((error: Error) =>
      this.logger.error({ err: error.message }, 'predictor workers did not start'),
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
    this.pool = new ThreadPool<PredictorThreadData>({
      script: join(__dirname, '..', 'worker', 'predictor-thread.js'),
      threads: this.config.workers.concurrency,
      data: { config: this.config, groupId: this.config.predictor.group },
    });
    this.pool.on('event', (e: PartitionEvent) => {
      if (e.event !== 'partition') return;
      this.metrics.rowsProcessed.inc({ stage: 'predict' }, e.rows ?? 0);
      this.metrics.partitionSeconds.observe({ stage: 'predict' }, e.seconds ?? 0);
      if (e.model) this.metrics.modelVersion.set({ model: e.model }, e.version ?? 0);
    });
    logPoolLifecycle(this.pool, this.logger, 'predictor worker');
    await this.pool.start();
    this.logger.info(
      {
        threads: this.config.workers.concurrency,
        group: this.config.predictor.group,
        model: this.config.predictor.model,
      },
      'predictor workers consuming',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped.abort();
    await this.starting;
    await this.pool?.stop();
  }
}
