export { createLogger } from './logger';
export type { CreateLoggerOptions, LakeLogger, LogBindings, LogDestination, LogLevel } from './logger';
export { REDACTED_PATHS } from './redaction';
export { createMetrics, METRIC_PREFIX, PARTITION_SECONDS_BUCKETS } from './metrics';
export type { LakeMetrics } from './metrics';
