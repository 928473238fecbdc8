import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type LakeConfig, loadConfig } from '@lakestream/config';
import { createLogger, createMetrics, type LakeLogger, type LogDestination } from '@lakestream/observability';
import { assertApiTokenPolicy } from '../auth/api-token-policy';
import type { LakeConfigModuleOptions } from '../config/lake-config.module';
import { PinoLoggerService } from '../logging/pino-logger.service';
import type { ServiceName } from '../service-identity';
import type { ServiceContext } from './service-context';

export interface BootstrapOptions extends LakeConfigModuleOptions {
  name: ServiceName;
  version: string;
  /** Builds the service's root module from the loaded config, logger and metrics. */
  module: (context: ServiceContext) => DynamicModule;
  /** Port to listen on instead of `http.ports[name]`; 0 lets the OS pick a free one. */
  port?: number;
  /** Close gracefully on SIGTERM/SIGINT (default true; off when a host process manages signals). */
  shutdownHooks?: boolean;
  /** Where log lines go (stdout by default). */
  logDestination?: LogDestination;
}

/** A listening service; `close()` stops HTTP, disconnects clients and runs shutdown hooks. */
export interface RunningService {
  name: ServiceName;
  version: string;
  url: string;
  port: number;
  config: LakeConfig;
  app: INestApplication;
  logger: LakeLogger;
  close(): Promise<void>;
}

/**
 * Loads the config, refuses an unprotected non-loopback bind, creates the Nest app with
 * JSON logging, enables shutdown hooks and listens on `http.host:http.ports[name]`,
 * logging one "listening" line with the URL.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<RunningService> {
  const { name, version } = options;
  const config = options.config ?? loadConfig(options);
  const logger = createLogger({
    service: name,
    level: config.log.level,
    destination: options.logDestination,
  });
  assertApiTokenPolicy(config);
  const metrics = createMetrics(name);
  const module = options.module({ service: { name, version }, config, logger, metrics });
  const app = await NestFactory.create(module, {
    logger: new PinoLoggerService(logger),
    abortOnError: false,
  });
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  try {
    await app.listen(options.port ?? config.http.ports[name], config.http.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://${urlHost(config.http.host)}:${port}`;
  logger.info({ url, version, concurrency: config.workers.concurrency }, 'listening');
  return { name, version, url, port, config, app, logger, close: () => app.close() };
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** What a service's `start<Name>Service()` accepts: config sources or a loaded config, port, hooks. */
export type ServiceStartOptions = Omit<BootstrapOptions, 'name' | 'version' | 'module'>;
