import { Controller, Get, Param } from '@nestjs/common';
import { type BatchDetail, type BatchList, BatchesService } from './batches.service';

@Controller('api/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  /** Every batch under the lake root, newest first, with its progress through each stage. */
  @Get()
  list(): Promise<BatchList> {
    return this.batches.list();
  }

  /** One batch: its progress, `_MANIFEST.json` and `etl_report.json` as stored in HDFS. */
  @Get(':dataset/:batch')
  detail(@Param('dataset') dataset: string, @Param('batch') batch: string): Promise<BatchDetail> {
    return this.batches.detail(dataset, batch);
  }
}
