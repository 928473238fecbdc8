import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { type ServerName, stackDown, stackUp } from '@lakestream/stack';
import { tempDir } from '@lakestream/testkit';
import { stackConfig } from '../stack/config';
import { freePort } from './harness';

/**
 * A second local stack on free ports with its own data folder (the downloads are shared), for
 * scenarios that stop servers: the shared stack other tests use is never touched.
 */
export class PrivateStack {
  private constructor(readonly config: LakeConfig) {}

  static async create(): Promise<PrivateStack> {
    const base = stackConfig();
    const ports = {
      kafka: await freePort(),
      kafkaController: await freePort(),
      namenodeRpc: await freePort(),
      namenodeHttp: await freePort(),
      datanode: await freePort(),
      datanodeHttp: await freePort(),
      datanodeIpc: await freePort(),
      registry: await freePort(),
      registryManagement: await freePort(),
    };
    const host = base.stack.host;
    return new PrivateStack({
      ...base,
      kafka: { ...base.kafka, brokers: [`${host}:${ports.kafka}`] },
      hdfs: { ...base.hdfs, namenodeUrl: `http://${host}:${ports.namenodeHttp}` },
      registry: { ...base.registry, url: `http://${host}:${ports.registry}/apis/ccompat/v7` },
      stack: { ...base.stack, dataDir: join(tempDir(), 'stack'), ports },
    });
  }

  private log = (line: string) => {
    if (process.env.LAKE_FAULTS_VERBOSE) console.error(`   [private stack] ${line}`);
  };

  async up(only?: ServerName[]): Promise<number> {
    return (await stackUp({ config: this.config, only, log: this.log })).seconds;
  }

  async down(only?: ServerName[]): Promise<void> {
    await stackDown({ config: this.config, only, log: this.log });
  }

  /** Stops every server and deletes the data. Safe to call whatever state it is in. */
  async destroy(): Promise<void> {
    await stackDown({ config: this.config, wipe: true, log: this.log }).catch(() => undefined);
  }
}
