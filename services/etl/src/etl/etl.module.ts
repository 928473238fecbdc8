import { Module } from '@nestjs/common';
import { EtlController } from './etl.controller';
import { EtlService } from './etl.service';
import { EtlWorkers } from './etl-workers';

@Module({ controllers: [EtlController], providers: [EtlService, EtlWorkers] })
export class EtlModule {}
