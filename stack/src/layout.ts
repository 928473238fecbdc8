import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';

export type ServerName = 'kafka' | 'namenode' | 'datanode' | 'registry';
export const SERVERS: readonly ServerName[] = ['kafka', 'namenode', 'datanode', 'registry'];

/** Where each server's jars, data, logs and pid live. */
export interface StackLayout {
  repoStack: string;
  lib: { kafka: string; hdfs: string; registry: string };
  data: { kafka: string; namenode: string; datanode: string; registry: string; hadoopConf: string };
  logs: string;
  run: string;
}

export function stackLayout(config: LakeConfig, repoStack: string): StackLayout {
  const { cacheDir, dataDir } = config.stack;
  return {
    repoStack,
    lib: {
      kafka: join(cacheDir, 'kafka'),
      hdfs: join(cacheDir, 'hdfs'),
      registry: join(cacheDir, 'registry'),
    },
    data: {
      kafka: join(dataDir, 'kafka'),
      namenode: join(dataDir, 'hdfs', 'name'),
      datanode: join(dataDir, 'hdfs', 'data'),
      registry: join(dataDir, 'registry'),
      hadoopConf: join(dataDir, 'hdfs', 'conf'),
    },
    logs: join(dataDir, 'logs'),
    run: join(dataDir, 'run'),
  };
}

export const logFile = (layout: StackLayout, server: ServerName): string =>
  join(layout.logs, `${server}.log`);
export const pidFile = (layout: StackLayout, server: ServerName): string => join(layout.run, `${server}.pid`);
