import type { LakeConfig } from '@lakestream/config';
import type { LakeLogger, LakeMetrics } from '@lakestream/observability';
import type { ServiceIdentity } from '../service-identity';

/** What bootstrapService hands to a service's root module factory. */
export interface ServiceContext {
  service: ServiceIdentity;
  config: LakeConfig;
  logger: LakeLogger;
  metrics: LakeMetrics;
}
