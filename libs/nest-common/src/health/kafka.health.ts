import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { LakeConfig } from '@lakestream/config';
import { errorMessage, LakeError } from '@lakestream/core';
import { HEALTH_OPTIONS, LAKE_CONFIG } from '../tokens';
import type { HealthOptions } from './health-options';
import { elapsedMs } from './probe';

/**
 * Kafka is ready when the admin client connects and describeCluster answers. One admin
 * client is kept for all probes; after a failure it is disconnected so the next probe
 * starts clean, and it is closed with the module.
 */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private readonly admin: Admin;
  private connecting?: Promise<void>;

  constructor(
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly indicators: HealthIndicatorService,
  ) {
    const kafka = new Kafka({
      clientId: `${config.kafka.clientId}-health`,
      brokers: config.kafka.brokers,
      connectionTimeout: options.kafkaConnectionTimeoutMs,
      requestTimeout: options.kafkaTimeoutMs,
      retry: { retries: 0 },
      // Failures are reported by the probe itself; kafkajs' own error lines would repeat them.
      logLevel: logLevel.NOTHING,
    });
    this.admin = kafka.admin({ retry: { retries: 0 } });
  }

  async isHealthy<const K extends string>(key: K) {
    const session = this.indicators.check(key);
    const started = performance.now();
    try {
      const cluster = await withTimeout(this.describe(), this.options.kafkaTimeoutMs);
      return session.up({
        brokers: cluster.brokers.map((b) => `${b.host}:${b.port}`),
        controller: cluster.controller,
        clusterId: cluster.clusterId,
        latencyMs: elapsedMs(started),
      });
    } catch (error) {
      const latencyMs = elapsedMs(started);
      await this.reset();
      return session.down({ brokers: this.config.kafka.brokers, latencyMs, error: errorMessage(error) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.reset();
  }

  private async describe() {
    this.connecting ??= this.admin.connect();
    await this.connecting;
    return this.admin.describeCluster();
  }

  private async reset(): Promise<void> {
    this.connecting = undefined;
    await this.admin.disconnect().catch(() => undefined);
  }
}

/** Rejects when `promise` takes longer than `ms`; a late rejection of `promise` is ignored. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LakeError(`no answer within ${ms} ms`, { retriable: true })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
