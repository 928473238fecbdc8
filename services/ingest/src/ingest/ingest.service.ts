import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec, lakeTopicSpecs } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { createProducer, ensureTopics, type Producer } from '@lakestream/kafka';
import {
  type ConfigSummary,
  configSummary,
  LAKE_CONFIG,
  LAKE_SERVICE,
  type ServiceIdentity,
} from '@lakestream/nest-common';
import {
  type FilesPublishResult,
  type FilesRequest,
  type PublishDeps,
  type PublishResult,
  publishFiles,
  publishSynthetic,
  type SyntheticRequest,
} from '@lakestream/publish';

export interface IngestInfo {
  service: string;
  version: string;
  role: string;
  config: ConfigSummary;
  maxUploadBytes: number;
}

/** Publishes batches from uploaded files or the generator, with the clients built once from the configuration. */
@Injectable()
export class IngestService implements OnModuleDestroy {
  private readonly hdfs: HdfsClient;
  private readonly paths: LakePaths;
  private producer?: Promise<Producer>;

  constructor(
    @Inject(LAKE_SERVICE) private readonly service: ServiceIdentity,
    @Inject(LAKE_CONFIG) readonly config: LakeConfig,
    private readonly http: HttpAdapterHost,
  ) {
    this.hdfs = new HdfsClient({
      namenodeUrl: config.hdfs.namenodeUrl,
      user: config.hdfs.user,
      lakeRoot: config.hdfs.lakeRoot,
    });
    this.paths = new LakePaths(config.hdfs.lakeRoot);
  }

  info(): IngestInfo {
    const address = this.http.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return {
      service: this.service.name,
      version: this.service.version,
      role: 'publishes batches: writes raw Parquet partitions to HDFS and their descriptors to Kafka',
      config: configSummary(this.config, this.service.name, address?.port),
      maxUploadBytes: this.config.ingest.maxUploadBytes,
    };
  }

  publishFiles(request: Omit<FilesRequest, 'tmpDir'>): Promise<FilesPublishResult> {
    return this.deps().then((deps) => publishFiles(deps, { ...request, tmpDir: this.config.ingest.tmpDir }));
  }

  publishSynthetic(request: SyntheticRequest): Promise<PublishResult> {
    return this.deps().then((deps) => publishSynthetic(deps, request));
  }

  private async deps(): Promise<PublishDeps> {
    if (!this.producer) {
      const producer = createProducer({
        brokers: this.config.kafka.brokers,
        clientId: `${this.config.kafka.clientId}-ingest`,
        codec: createRegistryCodec({ url: this.config.registry.url }),
      });
      // Publishing may come before any other service created the lake topics (a fresh stack).
      this.producer = ensureTopics(this.config.kafka.brokers, lakeTopicSpecs(this.config.kafka))
        .then(() => producer.connect())
        .then(() => producer);
      this.producer.catch(() => {
        this.producer = undefined; // try again on the next request
      });
    }
    return {
      hdfs: this.hdfs,
      producer: await this.producer,
      paths: this.paths,
      producerName: `ingest@${this.service.name}`,
      // Partition p's descriptor on topic partition p mod N: consumers get equal shares.
      rawTopicPartitions: this.config.kafka.topicPartitions,
    };
  }

  async onModuleDestroy(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.disconnect();
    this.hdfs.close();
  }
}
