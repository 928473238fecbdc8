import { Inject, Injectable } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { LakeLogger } from '@lakestream/observability';
import { LAKE_LOGGER } from '../tokens';

/**
 * Logs readiness when it changes (not on every probe): a warning naming each down
 * dependency and its error, then an info line when all are back.
 */
@Injectable()
export class ReadinessLog {
  private last?: string;

  constructor(@Inject(LAKE_LOGGER) private readonly logger: LakeLogger) {}

  record(result: HealthCheckResult): void {
    const down = Object.fromEntries(
      Object.entries(result.error ?? {}).map(([key, value]) => [
        key,
        (value as { error?: unknown }).error ?? 'down',
      ]),
    );
    const state = JSON.stringify(Object.keys(down).sort());
    if (state === this.last) return;
    const first = this.last === undefined;
    this.last = state;
    if (Object.keys(down).length > 0) this.logger.warn({ down }, 'not ready');
    else if (!first) this.logger.info('ready');
  }
}
