import { Module } from '@nestjs/common';
import { TrainerController } from './trainer.controller';
import { TrainerService } from './trainer.service';
import { TrainerWorkers } from './trainer-workers';

@Module({ controllers: [TrainerController], providers: [TrainerService, TrainerWorkers] })
export class TrainerModule {}
