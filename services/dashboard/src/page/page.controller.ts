import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { LakeConfig } from '@lakestream/config';
import {
  type ConfigSummary,
  configSummary,
  LAKE_CONFIG,
  LAKE_SERVICE,
  type ServiceIdentity,
} from '@lakestream/nest-common';
import { PUBLIC_DIR } from './public-dir';

export interface DashboardInfo {
  service: string;
  version: string;
  role: string;
  config: ConfigSummary;
  /** The JSON API the page reads. */
  api: string[];
}

/** Serves the single static page (plain HTML, vanilla JS, inline SVG) and describes the service. */
@Controller()
export class PageController {
  constructor(
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  @Get(['', 'index.html'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): Promise<string> {
    return readFile(join(PUBLIC_DIR, 'index.html'), 'utf8');
  }

  @Get('dashboard/info')
  info(): DashboardInfo {
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return {
      service: this.service.name,
      version: this.service.version,
      role: 'shows batches, ETL reports, predictions, models and their trials, consumer lag and dead letters from HDFS and Kafka',
      config: configSummary(this.config, this.service.name, address?.port),
      api: [
        '/api/batches',
        '/api/batches/:dataset/:batch',
        '/api/lag',
        '/api/dlq?limit=N',
        '/api/models',
        '/api/models/:name/:version',
      ],
    };
  }
}
