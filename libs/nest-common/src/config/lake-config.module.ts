import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type LakeConfig, type LoadConfigOptions, loadConfig } from '@lakestream/config';
import { LAKE_CONFIG } from '../tokens';

export interface LakeConfigModuleOptions extends LoadConfigOptions {
  /** An already loaded and validated configuration (then nothing is read). */
  config?: LakeConfig;
}

/**
 * Provides the validated `LakeConfig` under `LAKE_CONFIG` to the whole application.
 * Loads it (defaults ← file ← environment ← overrides) unless one is given; an invalid
 * configuration fails here, at module construction, naming the field.
 */
@Global()
@Module({})
export class LakeConfigModule {
  static forRoot(options: LakeConfigModuleOptions = {}): DynamicModule {
    const config = options.config ?? loadConfig(options);
    return {
      module: LakeConfigModule,
      providers: [{ provide: LAKE_CONFIG, useValue: config }],
      exports: [LAKE_CONFIG],
    };
  }
}
