import { join } from 'node:path';
import {
  bootstrapService,
  packageVersion,
  type RunningService,
  type ServiceStartOptions,
} from '@lakestream/nest-common';
import { AppModule } from './app.module';

export const PREDICTOR_VERSION = packageVersion(join(__dirname, '..', 'package.json'));

/**
 * Starts the predictor service in this process: scores clean partitions with the model in use and writes predictions.
 * Listens on http.host:http.ports.predictor unless `port` is given; `close()` stops it.
 */
export function startPredictorService(options: ServiceStartOptions = {}): Promise<RunningService> {
  return bootstrapService({
    ...options,
    name: 'predictor',
    version: PREDICTOR_VERSION,
    module: AppModule.forRoot,
  });
}
