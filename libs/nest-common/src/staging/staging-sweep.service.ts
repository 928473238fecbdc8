import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { HdfsClient, StagingSweeper } from '@lakestream/hdfs';
import { LAKE_CONFIG, LAKE_LOGGER } from '../tokens';
import type { LakeLogger } from '@lakestream/observability';

/**
 * Removes staging folders that a killed writer left in `<lakeRoot>/_tmp`: at start-up, then
 * every `hdfs.staging.sweepIntervalMs`; only those older than `hdfs.staging.maxAgeMs`.
 */
@Injectable()
export class StagingSweepService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly hdfs: HdfsClient;
  private readonly sweeper: StagingSweeper;

  constructor(@Inject(LAKE_CONFIG) config: LakeConfig, @Inject(LAKE_LOGGER) logger: LakeLogger) {
    const { namenodeUrl, user, lakeRoot, staging } = config.hdfs;
    // One quick attempt per sweep: an outage waits for the next interval, not in a retry loop.
    this.hdfs = new HdfsClient({
      namenodeUrl,
      user,
      lakeRoot,
      retry: { retries: 1, initialDelayMs: 500 },
      timeoutMs: 10_000,
    });
    this.sweeper = new StagingSweeper(this.hdfs, {
      maxAgeMs: staging.maxAgeMs,
      intervalMs: staging.sweepIntervalMs,
      onSwept: ({ swept, kept }) => {
        if (swept.length > 0) logger.info({ swept, kept }, 'swept abandoned staging folders from _tmp');
      },
      onError: (error) =>
        logger.warn(
          { err: (error as Error).message },
          'sweeping _tmp failed; trying again at the next interval',
        ),
    });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
    this.hdfs.close();
  }
}
