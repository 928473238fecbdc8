/** Readiness probe settings; the defaults keep a probe of a dead dependency under ~3 s. */
export interface HealthOptions {
  /** Limit for each HTTP probe (WebHDFS, JMX, registry). */
  httpTimeoutMs: number;
  /** kafkajs connection timeout of the admin client. */
  kafkaConnectionTimeoutMs: number;
  /** Limit for connect + describeCluster together. */
  kafkaTimeoutMs: number;
}

export const DEFAULT_HEALTH_OPTIONS: HealthOptions = {
  httpTimeoutMs: 2000,
  kafkaConnectionTimeoutMs: 1500,
  kafkaTimeoutMs: 2500,
};
