import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { LakeMetrics } from '@lakestream/observability';
import { LAKE_METRICS } from '../tokens';

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/** Prometheus scrape endpoint: the service registry in text exposition format. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(LAKE_METRICS) private readonly metrics: LakeMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) res: HeaderSink): Promise<string> {
    res.setHeader('Content-Type', this.metrics.contentType);
    return this.metrics.text();
  }
}
