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

export interface TrainerInfo {
  service: string;
  version: string;
  role: string;
  config: ConfigSummary;
}

/** Describes the trainer service (the work runs in TrainerWorkers' threads). */
@Injectable()
export class TrainerService {
  constructor(
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  info(): TrainerInfo {
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return {
      service: this.service.name,
      version: this.service.version,
      role: 'runs hyperparameter searches over trial workers and publishes models',
      config: configSummary(this.config, this.service.name, address?.port),
    };
  }
}
