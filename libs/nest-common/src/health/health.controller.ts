import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { HdfsHealthIndicator } from './hdfs.health';
import { KafkaHealthIndicator } from './kafka.health';
import { ReadinessLog } from './readiness-log';
import { RegistryHealthIndicator } from './registry.health';

/**
 * /health/live: the process serves HTTP (restart it if not).
 * /health/ready: Kafka, HDFS and the schema registry are usable (503 with each
 * dependency's error otherwise) — route work to it only then.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly hdfs: HdfsHealthIndicator,
    private readonly registry: RegistryHealthIndicator,
    private readonly readinessLog: ReadinessLog,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ pid: process.pid, uptimeS: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      const result = await this.health.check([
        () => this.kafka.isHealthy('kafka'),
        () => this.hdfs.isHealthy('hdfs'),
        () => this.registry.isHealthy('registry'),
      ]);
      this.readinessLog.record(result);
      return result;
    } catch (error) {
      if (error instanceof ServiceUnavailableException)
        this.readinessLog.record(error.getResponse() as HealthCheckResult);
      throw error;
    }
  }
}
