import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { lakeTopicSpecs } from '@lakestream/contracts';
import { ensureTopicsPatiently } from '@lakestream/kafka';
import { LAKE_CONFIG, LAKE_LOGGER, LAKE_METRICS } from '@lakestream/nest-common';
import type { LakeLogger, LakeMetrics } from '@lakestream/observability';
import { logPoolLifecycle, ThreadPool } from '@lakestream/workers';
import type { EtlThreadData } from '../worker/etl-thread';

export const ETL_GROUP = 'lake-etl';

/** `workers.concurrency` ETL consumers on worker threads, supervised for the service's lifetime. */
@Injectable()
export class EtlWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private pool?: ThreadPool<EtlThreadData>;

  constructor(
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    @Inject(LAKE_LOGGER) private readonly logger: LakeLogger,
    @Inject(LAKE_METRICS) private readonly metrics: LakeMetrics,
  ) {}

  private readonly stopped = new AbortController();
  private starting?: Promise<void>;

  /** Starts in the background: the HTTP side (health, metrics) is up even while Kafka is not. */
  onApplicationBootstrap(): void {
    this.starting = this.start().catch((error: Error) =>
      this.logger.error({ err: error.message }, 'etl workers did not start'),
    );
  }

  private async start(): Promise<void> {
    const { kafka } = this.config;
    // An outage at start-up pauses the stage; it does not fail it.
    await ensureTopicsPatiently(kafka.brokers, lakeTopicSpecs(kafka), {
      signal: this.stopped.signal,
      onRetry: (error, attempt) =>
        this.logger.warn(
          { attempt, err: (error as Error).message },
          'waiting for Kafka to create the lake topics',
        ),
    });
    if (this.stopped.signal.aborted) return;
    this.pool = new ThreadPool<EtlThreadData>({
      script: join(__dirname, '..', 'worker', 'etl-thread.js'),
      threads: this.config.workers.concurrency,
      data: { config: this.config, futurePolicy: 'flag', groupId: ETL_GROUP },
    });
    this.pool.on('event', (e: { event: string; rows?: number; seconds?: number }) => {
      if (e.event !== 'partition') return;
      this.metrics.rowsProcessed.inc({ stage: 'etl' }, e.rows ?? 0);
      this.metrics.partitionSeconds.observe({ stage: 'etl' }, e.seconds ?? 0);
    });
    logPoolLifecycle(this.pool, this.logger, 'etl worker');
    await this.pool.start();
    this.logger.info({ threads: this.config.workers.concurrency, group: ETL_GROUP }, 'etl workers consuming');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped.abort();
    await this.starting;
    await this.pool?.stop();
  }
}
