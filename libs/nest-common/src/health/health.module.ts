import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HEALTH_OPTIONS } from '../tokens';
import { HealthController } from './health.controller';
import { DEFAULT_HEALTH_OPTIONS, type HealthOptions } from './health-options';
import { HdfsHealthIndicator } from './hdfs.health';
import { KafkaHealthIndicator } from './kafka.health';
import { ReadinessLog } from './readiness-log';
import { RegistryHealthIndicator } from './registry.health';

const INDICATORS = [KafkaHealthIndicator, HdfsHealthIndicator, RegistryHealthIndicator];

/** /health/live and /health/ready. Needs `LAKE_CONFIG` and `LAKE_LOGGER` (LakeConfigModule, ObservabilityModule). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [{ provide: HEALTH_OPTIONS, useValue: DEFAULT_HEALTH_OPTIONS }, ...INDICATORS, ReadinessLog],
  exports: INDICATORS,
})
export class HealthModule {
  /** The same module with other probe timeouts. */
  static forRoot(options: Partial<HealthOptions> = {}): DynamicModule {
    return {
      module: HealthModule,
      providers: [{ provide: HEALTH_OPTIONS, useValue: { ...DEFAULT_HEALTH_OPTIONS, ...options } }],
    };
  }
}
