import { join } from 'node:path';
import {
  bootstrapService,
  packageVersion,
  type RunningService,
  type ServiceStartOptions,
} from '@lakestream/nest-common';
import { AppModule } from './app.module';

export const TRAINER_VERSION = packageVersion(join(__dirname, '..', 'package.json'));

/**
 * Starts the trainer service in this process: runs hyperparameter searches over trial workers and publishes models.
 * Listens on http.host:http.ports.trainer unless `port` is given; `close()` stops it.
 */
export function startTrainerService(options: ServiceStartOptions = {}): Promise<RunningService> {
  return bootstrapService({
    ...options,
    name: 'trainer',
    version: TRAINER_VERSION,
    module: AppModule.forRoot,
  });
}
