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

export interface IngestInfo {
  service: string;
  version: string;
  role: string;
  config: ConfigSummary;
}

/** Placeholder for the ingest stage: for now it only describes itself. */
@Injectable()
export class IngestService {
  constructor(
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  info(): IngestInfo {
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return {
      service: this.service.name,
      version: this.service.version,
      role: 'publishes batches: writes raw Parquet partitions to HDFS and their descriptors to Kafka',
      config: configSummary(this.config, this.service.name, address?.port),
    };
  }
}
