import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec, type RegistryCodec } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { LAKE_CONFIG, LAKE_SERVICE, type ServiceIdentity } from '@lakestream/nest-common';
import { type Admin, Kafka, logLevel } from 'kafkajs';

/**
 * The dashboard's read-only clients: HDFS (a few quick retries, so an outage shows as an
 * error instead of a hung page), the lake paths, the registry codec and one Kafka admin
 * connection, opened on first use and closed with the application.
 */
@Injectable()
export class LakeClients implements OnModuleDestroy {
  readonly hdfs: HdfsClient;
  readonly paths: LakePaths;
  readonly codec: RegistryCodec;
  readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  private closed = false;

  constructor(
    @Inject(LAKE_CONFIG) readonly config: LakeConfig,
    @Inject(LAKE_SERVICE) service: ServiceIdentity,
  ) {
    this.hdfs = new HdfsClient({
      namenodeUrl: config.hdfs.namenodeUrl,
      user: config.hdfs.user,
      lakeRoot: config.hdfs.lakeRoot,
      retry: { retries: 2, initialDelayMs: 100, maxDelayMs: 500 },
      timeoutMs: 10_000,
    });
    this.paths = new LakePaths(config.hdfs.lakeRoot);
    this.codec = createRegistryCodec({ url: config.registry.url });
    this.kafka = new Kafka({
      clientId: `${config.kafka.clientId}-${service.name}`,
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    });
  }

  /** The shared admin client (connected); a failed connection is forgotten so the next call retries. */
  kafkaAdmin(): Promise<Admin> {
    if (this.closed) return Promise.reject(new Error('the dashboard is closing'));
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(
        () => admin,
        (error: unknown) => {
          this.admin = undefined;
          throw error;
        },
      );
    }
    return this.admin;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await admin.then((a) => a.disconnect()).catch(() => undefined);
    this.hdfs.close();
  }
}
