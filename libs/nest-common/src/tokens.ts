/** Injection token of the validated `LakeConfig`. */
export const LAKE_CONFIG = Symbol('LAKE_CONFIG');
/** Injection token of the service's pino logger (`LakeLogger`). */
export const LAKE_LOGGER = Symbol('LAKE_LOGGER');
/** Injection token of the service's `LakeMetrics` (its prom-client registry). */
export const LAKE_METRICS = Symbol('LAKE_METRICS');
/** Injection token of the running service's identity (`ServiceIdentity`). */
export const LAKE_SERVICE = Symbol('LAKE_SERVICE');
/** Injection token of the readiness probe settings (`HealthOptions`). */
export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
