import { Module } from '@nestjs/common';
import { DlqService } from './dlq.service';
import { KafkaController } from './kafka.controller';
import { LagService } from './lag.service';

@Module({ controllers: [KafkaController], providers: [LagService, DlqService] })
export class KafkaModule {}
