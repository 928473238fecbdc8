import type { Server } from 'node:http';
import { join } from 'node:path';
import {
  bootstrapService,
  packageVersion,
  type RunningService,
  type ServiceStartOptions,
} from '@lakestream/nest-common';
import { AppModule } from './app.module';

export const INGEST_VERSION = packageVersion(join(__dirname, '..', 'package.json'));

/**
 * Starts the ingest service in this process: publishes batches: writes raw Parquet partitions to HDFS and their descriptors to Kafka.
 * Listens on http.host:http.ports.ingest unless `port` is given; `close()` stops it.
 */
export async function startIngestService(options: ServiceStartOptions = {}): Promise<RunningService> {
  const running = await bootstrapService({
    ...options,
    name: 'ingest',
    version: INGEST_VERSION,
    module: AppModule.forRoot,
  });
  // Uploads of several GiB take longer than Node's default 5-minute limit on receiving a request.
  (running.app.getHttpServer() as Server).requestTimeout = 0;
  return running;
}
