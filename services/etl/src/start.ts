import { join } from 'node:path';
import {
  bootstrapService,
  packageVersion,
  type RunningService,
  type ServiceStartOptions,
} from '@lakestream/nest-common';
import { AppModule } from './app.module';

export const ETL_VERSION = packageVersion(join(__dirname, '..', 'package.json'));

/**
 * Starts the etl service in this process: cleans raw partitions and merges per-partition partials into batch reports.
 * Listens on http.host:http.ports.etl unless `port` is given; `close()` stops it.
 */
export function startEtlService(options: ServiceStartOptions = {}): Promise<RunningService> {
  return bootstrapService({ ...options, name: 'etl', version: ETL_VERSION, module: AppModule.forRoot });
}
