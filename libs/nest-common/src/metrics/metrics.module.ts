import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** GET /metrics. Needs `LAKE_METRICS` (from ObservabilityModule). */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
