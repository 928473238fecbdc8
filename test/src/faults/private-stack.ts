import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { findJava, type ServerName, stackDown, stackLayout, stackUp } from '@lakestream/stack';
import { repoRoot, tempDir } from '@lakestream/testkit';
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

  /**
   * `hdfs dfsadmin <args>` against this stack's NameNode, run from the stack's own Hadoop jars
   * and configuration (the downloads hold no `bin/hdfs` script). Returns its output; throws
   * with that output when it fails.
   */
  dfsadmin(...args: string[]): string {
    const layout = stackLayout(this.config, join(repoRoot(), 'stack'));
    const classpath = `${layout.data.hadoopConf}:${layout.lib.hdfs}/resources:${layout.lib.hdfs}/*`;
    const r = spawnSync(
      findJava(17).bin,
      [
        '-Xmx128m',
        `-Dlog4j.configuration=file:${join(layout.data.hadoopConf, 'log4j.properties')}`,
        '-cp',
        classpath,
        'org.apache.hadoop.hdfs.tools.DFSAdmin',
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const output = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0)
      throw new Error(`hdfs dfsadmin ${args.join(' ')} failed (exit ${r.status}):\n${output}`);
    return output;
  }

  /** Stops every server and deletes the data. Safe to call whatever state it is in. */
  async destroy(): Promise<void> {
    await stackDown({ config: this.config, wipe: true, log: this.log }).catch(() => undefined);
  }
}
