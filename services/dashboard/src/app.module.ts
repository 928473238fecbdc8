import { type DynamicModule, Module } from '@nestjs/common';
import {
  HealthModule,
  LakeConfigModule,
  MetricsModule,
  ObservabilityModule,
  type ServiceContext,
} from '@lakestream/nest-common';
import { BatchesModule } from './batches/batches.module';
import { KafkaModule } from './kafka/kafka.module';
import { LakeClientsModule } from './lake-clients.module';
import { ModelsModule } from './models/models.module';
import { PageModule } from './page/page.module';

@Module({})
export class AppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LakeConfigModule.forRoot({ config: context.config }),
        ObservabilityModule.forRoot(context),
        HealthModule,
        MetricsModule,
        LakeClientsModule,
        PageModule,
        BatchesModule,
        KafkaModule,
        ModelsModule,
      ],
    };
  }
}
