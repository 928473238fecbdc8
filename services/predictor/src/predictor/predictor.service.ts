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

export interface PredictorInfo {
  service: string;
  version: string;
  role: string;
  model: { name: string; alias: string };
  config: ConfigSummary;
}

/** Describes the predictor: what it scores with and how it is configured. */
@Injectable()
export class PredictorService {
  constructor(
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  info(): PredictorInfo {
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return {
      service: this.service.name,
      version: this.service.version,
      role: 'scores clean partitions with the model in use and writes predictions',
      model: { name: this.config.predictor.model, alias: this.config.predictor.alias },
      config: configSummary(this.config, this.service.name, address?.port),
    };
  }
}
