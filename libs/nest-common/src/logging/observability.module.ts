import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
} from '@nestjs/common';
import type { LakeLogger, LakeMetrics } from '@lakestream/observability';
import type { ServiceIdentity } from '../service-identity';
import { LAKE_LOGGER, LAKE_METRICS, LAKE_SERVICE } from '../tokens';

export interface ObservabilityModuleOptions {
  service: ServiceIdentity;
  logger: LakeLogger;
  metrics: LakeMetrics;
}

/** Logs the signal that stops the service, before modules are torn down. */
@Injectable()
export class ShutdownLogger implements BeforeApplicationShutdown {
  constructor(@Inject(LAKE_LOGGER) private readonly logger: LakeLogger) {}

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, 'shutting down');
  }
}

/**
 * Provides the service identity, its pino logger and its metrics registry to the whole
 * application (`LAKE_SERVICE`, `LAKE_LOGGER`, `LAKE_METRICS`).
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [
        { provide: LAKE_SERVICE, useValue: options.service },
        { provide: LAKE_LOGGER, useValue: options.logger },
        { provide: LAKE_METRICS, useValue: options.metrics },
        ShutdownLogger,
      ],
      exports: [LAKE_SERVICE, LAKE_LOGGER, LAKE_METRICS],
    };
  }
}
