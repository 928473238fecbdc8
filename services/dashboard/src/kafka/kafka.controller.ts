import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { DLQ_LIMIT, DlqService, type DlqView } from './dlq.service';
import { LagService, type LagView } from './lag.service';

@Controller('api')
export class KafkaController {
  constructor(
    private readonly lagService: LagService,
    private readonly dlqService: DlqService,
  ) {}

  /** Committed-offset lag and throughput of every lake consumer group, per topic and partition. */
  @Get('lag')
  lag(): Promise<LagView> {
    return this.lagService.lag();
  }

  /** The newest dead letters of the lake's `<topic>.dlq` topics (`?limit=`, at most 500). */
  @Get('dlq')
  dlq(@Query('limit') limit?: string): Promise<DlqView> {
    const n = limit === undefined ? DLQ_LIMIT : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 500)
      throw new BadRequestException(`limit must be an integer from 1 to 500, got ${JSON.stringify(limit)}`);
    return this.dlqService.dlq(n);
  }
}
