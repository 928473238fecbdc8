import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { StackError } from '../errors';
import type { StackLayout } from '../layout';
import type { ServerSpec } from './server';

/** Hadoop on Java 17 reflects into these JDK packages. */
export const HADOOP_ADD_OPENS = [
  'java.base/java.lang',
  'java.base/java.lang.reflect',
  'java.base/java.io',
  'java.base/java.net',
  'java.base/java.nio',
  'java.base/java.util',
  'java.base/java.util.concurrent',
  'java.base/java.util.concurrent.atomic',
  'java.base/sun.nio.ch',
  'java.base/sun.nio.cs',
  'java.base/sun.security.action',
  'java.base/sun.util.calendar',
].flatMap((p) => ['--add-opens', `${p}=ALL-UNNAMED`]);

const LOG4J = `log4j.rootLogger=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR
log4j.logger.org.apache.hadoop.hdfs.StateChange=WARN
log4j.logger.BlockStateChange=WARN
log4j.logger.org.apache.hadoop.hdfs.server.datanode.DataNode.clienttrace=WARN
log4j.logger.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=WARN
`;

const xml = (props: Record<string, string | number | boolean>): string =>
  `<?xml version="1.0"?>\n<configuration>\n${Object.entries(props)
    .map(([k, v]) => `  <property><name>${k}</name><value>${v}</value></property>`)
    .join('\n')}\n</configuration>\n`;

/**
 * With several DataNodes, one that stops heartbeating is skipped for reads and new blocks
 * after a few seconds instead of being tried until it is declared dead (40 s on).
 */
const SEVERAL_DATANODES = {
  'dfs.namenode.avoid.read.stale.datanode': true,
  'dfs.namenode.avoid.write.stale.datanode': true,
  'dfs.namenode.stale.datanode.interval': 4000,
  // A block pipeline whose next DataNode stopped answering is rebuilt without it after 15 s, not 60.
  'dfs.client.socket-timeout': 15000,
};

function writeHadoopConf(c: LakeConfig, layout: StackLayout): void {
  const { host, ports, hdfsReplication } = c.stack;
  // A DataNode on a worker host registers with the NameNode on another machine.
  const namenode = c.stack.namenodeHost || host;
  const conf = layout.data.hadoopConf;
  mkdirSync(conf, { recursive: true });
  writeFileSync(
    join(conf, 'core-site.xml'),
    xml({
      'fs.defaultFS': `hdfs://${namenode}:${ports.namenodeRpc}`,
      'hadoop.tmp.dir': join(conf, '..', 'tmp'),
    }),
  );
  writeFileSync(
    join(conf, 'hdfs-site.xml'),
    xml({
      'dfs.namenode.name.dir': `file://${layout.data.namenode}`,
      'dfs.datanode.data.dir': `file://${layout.data.datanode}`,
      'dfs.replication': hdfsReplication,
      ...(hdfsReplication > 1 ? SEVERAL_DATANODES : {}),
      'dfs.permissions.enabled': false,
      'dfs.webhdfs.enabled': true,
      'dfs.namenode.rpc-address': `${namenode}:${ports.namenodeRpc}`,
      'dfs.namenode.http-address': `${namenode}:${ports.namenodeHttp}`,
      'dfs.datanode.address': `${host}:${ports.datanode}`,
      'dfs.datanode.http.address': `${host}:${ports.datanodeHttp}`,
      'dfs.datanode.ipc.address': `${host}:${ports.datanodeIpc}`,
      // WebHDFS redirects clients to the DataNode by the name it registered with: make it the address we serve on.
      'dfs.datanode.hostname': host,
      'dfs.namenode.datanode.registration.ip-hostname-check': false,
      'dfs.namenode.safemode.extension': 1000,
      'dfs.heartbeat.interval': 1,
      'dfs.namenode.heartbeat.recheck-interval': 15000,
      'dfs.client.block.write.replace-datanode-on-failure.policy': 'NEVER',
      // WebHDFS writes through a client inside the DataNode, whose file close polls the
      // NameNode starting at 400 ms: that wait was most of a small file's write time.
      'dfs.client.block.write.locateFollowingBlock.initial.delay.ms': 20,
      'dfs.namenode.file.close.num-committed-allowed': 1,
      'dfs.namenode.fs-limits.min-block-size': 1024,
      'dfs.namenode.handler.count': 10,
      'dfs.datanode.handler.count': 10,
    }),
  );
  writeFileSync(join(conf, 'log4j.properties'), LOG4J);
}

function hadoopJvm(layout: StackLayout, role: string): string[] {
  return [
    '-Xms128m',
    '-XX:+UseG1GC',
    '-Djava.net.preferIPv4Stack=true',
    `-Dhadoop.log.dir=${layout.logs}`,
    `-Dhadoop.log.file=${role}.log`,
    `-Dhadoop.home.dir=${layout.lib.hdfs}`,
    '-Dhadoop.root.logger=INFO,console',
    `-Dlog4j.configuration=file:${join(layout.data.hadoopConf, 'log4j.properties')}`,
    ...HADOOP_ADD_OPENS,
    '-cp',
    `${layout.data.hadoopConf}:${layout.lib.hdfs}/resources:${layout.lib.hdfs}/*`,
  ];
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The NameNode bean that tells safemode and live DataNodes. */
export async function namenodeState(
  namenodeUrl: string,
): Promise<{ safemode: string; liveDataNodes: number }> {
  const info = await getJson(`${namenodeUrl}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`);
  const state = await getJson(`${namenodeUrl}/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState`);
  const infoBean = (info.beans as Record<string, unknown>[])[0];
  const stateBean = (state.beans as Record<string, unknown>[])[0];
  if (!infoBean || !stateBean) throw new Error('NameNode JMX beans not yet registered');
  return {
    safemode: String(infoBean.Safemode ?? ''),
    liveDataNodes: Number(stateBean.NumLiveDataNodes ?? 0),
  };
}

export const namenodeServer: ServerSpec = {
  name: 'namenode',
  minJava: 17,
  artifact: 'hdfs',
  ports: (c) => [c.stack.ports.namenodeRpc, c.stack.ports.namenodeHttp],
  endpoint: (c) =>
    `http://${c.stack.host}:${c.stack.ports.namenodeHttp} (webhdfs), hdfs://${c.stack.host}:${c.stack.ports.namenodeRpc}`,

  prepare(c, layout, java) {
    writeHadoopConf(c, layout);
    if (existsSync(join(layout.data.namenode, 'current', 'VERSION'))) return;
    mkdirSync(layout.data.namenode, { recursive: true });
    const r = spawnSync(
      java.bin,
      [
        ...hadoopJvm(layout, 'namenode-format'),
        'org.apache.hadoop.hdfs.server.namenode.NameNode',
        '-format',
        '-nonInteractive',
        '-clusterid',
        'lakestream',
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) {
      throw new StackError(
        `formatting the NameNode in ${layout.data.namenode} failed`,
        'namenode',
        `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-30).join('\n'),
      );
    }
  },

  args: (_c, layout) => [...hadoopJvm(layout, 'namenode'), 'org.apache.hadoop.hdfs.server.namenode.NameNode'],

  async probe(c) {
    const url = `http://${c.stack.host}:${c.stack.ports.namenodeHttp}`;
    const s = await namenodeState(url).catch((error: Error) => {
      throw new StackError(`NameNode not answering: ${error.message}`, 'namenode');
    });
    if (s.liveDataNodes < 1) throw new StackError('NameNode up, waiting for a live DataNode', 'namenode');
    if (s.safemode) throw new StackError(`NameNode in safemode: ${s.safemode}`, 'namenode');
    return `out of safemode, ${s.liveDataNodes} live DataNode`;
  },
};

export const datanodeServer: ServerSpec = {
  name: 'datanode',
  minJava: 17,
  artifact: 'hdfs',
  ports: (c) => [c.stack.ports.datanode, c.stack.ports.datanodeHttp, c.stack.ports.datanodeIpc],
  endpoint: (c) => `http://${c.stack.host}:${c.stack.ports.datanodeHttp}`,
  prepare(c, layout) {
    writeHadoopConf(c, layout);
    mkdirSync(layout.data.datanode, { recursive: true });
  },
  args: (_c, layout) => [...hadoopJvm(layout, 'datanode'), 'org.apache.hadoop.hdfs.server.datanode.DataNode'],
  async probe(c) {
    const url = `http://${c.stack.host}:${c.stack.ports.datanodeHttp}/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo`;
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch((error: Error) => {
      throw new StackError(`DataNode not answering: ${error.message}`, 'datanode');
    });
    if (!res.ok) throw new StackError(`DataNode answered ${res.status}`, 'datanode');
    return 'serving';
  },
};
