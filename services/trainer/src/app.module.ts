import { type DynamicModule, Module } from '@nestjs/common';
import {
  ApiTokenModule,
  HealthModule,
  LakeConfigModule,
  MetricsModule,
  ObservabilityModule,
  type ServiceContext,
  StagingSweepModule,
} from '@lakestream/nest-common';
import { TrainerModule } from './trainer/trainer.module';

@Module({})
export class AppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LakeConfigModule.forRoot({ config: context.config }),
        ObservabilityModule.forRoot(context),
        ApiTokenModule,
        HealthModule,
        MetricsModule,
        StagingSweepModule,
        TrainerModule,
      ],
    };
  }
}
