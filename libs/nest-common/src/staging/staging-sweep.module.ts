import { Module } from '@nestjs/common';
import { StagingSweepService } from './staging-sweep.service';

/** Sweeps `<lakeRoot>/_tmp` for the services that stage writes there (etl, trainer, predictor). */
@Module({ providers: [StagingSweepService] })
export class StagingSweepModule {}
