import { Module } from '@nestjs/common';
import { TrainerController } from './trainer.controller';
import { TrainerService } from './trainer.service';
import { TrainerWorkers } from './trainer-workers';
import { TrainingJobsService } from './training-jobs.service';

@Module({
  controllers: [TrainerController],
  providers: [TrainerService, TrainerWorkers, TrainingJobsService],
})
export class TrainerModule {}
