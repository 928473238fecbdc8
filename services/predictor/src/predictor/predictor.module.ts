import { Module } from '@nestjs/common';
import { BackfillService } from './backfill.service';
import { PredictorController } from './predictor.controller';
import { PredictorService } from './predictor.service';
import { PredictorWorkers } from './predictor-workers';

@Module({
  controllers: [PredictorController],
  providers: [PredictorService, PredictorWorkers, BackfillService],
})
export class PredictorModule {}
