import { Module } from '@nestjs/common';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';
import { PredictionsService } from './predictions.service';

@Module({
  controllers: [BatchesController],
  providers: [BatchesService, PredictionsService],
  exports: [BatchesService],
})
export class BatchesModule {}
