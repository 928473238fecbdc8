import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { LakeConfig } from '@lakestream/config';
import { errorMessage } from '@lakestream/core';
import { HEALTH_OPTIONS, LAKE_CONFIG } from '../tokens';
import type { HealthOptions } from './health-options';
import { elapsedMs, getJson } from './probe';

/** The schema registry is ready when its Confluent-compatible API lists subjects. */
@Injectable()
export class RegistryHealthIndicator {
  private readonly base: string;

  constructor(
    @Inject(LAKE_CONFIG) config: LakeConfig,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.base = config.registry.url.replace(/\/+$/, '');
  }

  async isHealthy<const K extends string>(key: K) {
    const session = this.indicators.check(key);
    const started = performance.now();
    try {
      const subjects = await getJson<unknown>(`${this.base}/subjects`, this.options.httpTimeoutMs);
      if (!Array.isArray(subjects)) {
        return session.down({
          url: this.base,
          latencyMs: elapsedMs(started),
          error: 'subjects is not a list',
        });
      }
      return session.up({ url: this.base, latencyMs: elapsedMs(started), subjects: subjects.length });
    } catch (error) {
      return session.down({ url: this.base, latencyMs: elapsedMs(started), error: errorMessage(error) });
    }
  }
}
