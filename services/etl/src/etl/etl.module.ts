import { Module } from '@nestjs/common';
import { EtlController } from './etl.controller';
import { EtlService } from './etl.service';
import { EtlWorkers } from './etl-workers';
import { EtlStagingSweep } from './staging-sweep';

@Module({ controllers: [EtlController], providers: [EtlService, EtlWorkers, EtlStagingSweep] })
export class EtlModule {}
