import { join } from 'node:path';
import {
  bootstrapService,
  packageVersion,
  type RunningService,
  type ServiceStartOptions,
} from '@lakestream/nest-common';
import { AppModule } from './app.module';

export const DASHBOARD_VERSION = packageVersion(join(__dirname, '..', 'package.json'));

/**
 * Starts the dashboard in this process: a page and a JSON API over what HDFS and Kafka hold
 * (batches and their ETL reports, consumer lag, dead letters).
 * Listens on http.host:http.ports.dashboard unless `port` is given; `close()` stops it.
 */
export function startDashboardService(options: ServiceStartOptions = {}): Promise<RunningService> {
  return bootstrapService({
    ...options,
    name: 'dashboard',
    version: DASHBOARD_VERSION,
    module: AppModule.forRoot,
  });
}
