import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { LakeConfig } from '@lakestream/config';
import {
  type ConfigSummary,
  configSummary,
  LAKE_CONFIG,
  LAKE_SERVICE,
  type ServiceIdentity,
} from '@lakestream/nest-common';

export interface EtlInfo {
  service: string;
  version: string;
  role: string;
  config: ConfigSummary;
}

/** Placeholder for the etl stage: for now it only describes itself. */
@Injectable()
export class EtlService {
  constructor(
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  info(): EtlInfo {
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return {
      service: this.service.name,
      version: this.service.version,
      role: 'cleans raw partitions and merges per-partition partials into batch reports',
      config: configSummary(this.config, this.service.name, address?.port),
    };
  }
}
