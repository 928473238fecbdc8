import { join } from 'node:path';
import { InvalidInputError } from '@lakestream/core';
import { type ClusterService, type ClusterState, LocalCluster, listClusters } from '@lakestream/stack';
import type { Command } from 'commander';
import { cliConfig, lakeHome } from '../home';
import { dim, green, printJson, red, table } from '../output/print';

interface ClusterFlags {
  nodes?: string;
  concurrency?: string;
  services?: string;
  json?: boolean;
}

const SERVICES: ClusterService[] = ['ingest', 'etl', 'trainer', 'predictor'];
const clusterDir = (): string => join(lakeHome(), '.lake', 'cluster');
const lakeBin = (): string => join(__dirname, '..', '..', 'bin', 'lake.js');

function count(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidInputError(`--${flag} ${value}: expected an integer from 1 to ${max}`, flag);
  return n;
}

function services(value: string | undefined): ClusterService[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim());
  for (const n of names)
    if (!SERVICES.includes(n as ClusterService))
      throw new InvalidInputError(`unknown service ${n}: expected ${SERVICES.join(', ')}`, 'services');
  return names as ClusterService[];
}

const ours = (): ClusterState | undefined => listClusters().find((c) => c.dir === clusterDir());

function describe(state: ClusterState) {
  const cluster = LocalCluster.fromState(state);
  return {
    subnet: `${state.plan.subnet}.0/24`,
    bridge: state.plan.bridge,
    gateway: state.plan.gateway,
    hosts: state.plan.hosts.map((h) => ({
      name: h.name,
      netns: h.netns,
      address: h.address,
      runs:
        h.role === 'infra'
          ? 'kafka, namenode, registry'
          : `datanode, lake serve ${state.services.join(' ')} --concurrency ${state.concurrency}`,
      processes: cluster.pids(h.name).length,
    })),
    endpoints: cluster.endpoints,
    replication: state.replication,
    clientConfig: join(state.dir, 'client.json'),
    apiToken: state.apiToken,
    dir: state.dir,
  };
}

export function registerCluster(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('a cluster of "machines" on this one: Linux network namespaces on a bridge (needs root)');

  cluster
    .command('up')
    .description(
      'start an infrastructure host (Kafka, NameNode, registry) and N worker hosts (a DataNode and lake serve each)',
    )
    .option('--nodes <n>', 'worker hosts (default 2)')
    .option('--concurrency <k>', 'consumers per service on each worker host (default 1)')
    .option(
      '--services <list>',
      `services on each worker host (default etl,trainer,predictor; of ${SERVICES.join(',')})`,
    )
    .option('--json', 'print a JSON result')
    .action(async (flags: ClusterFlags) => {
      const started = Date.now();
      const log = flags.json ? () => undefined : (line: string) => process.stderr.write(`${dim(line)}\n`);
      const up = await LocalCluster.up({
        workers: count('nodes', flags.nodes, 2, 16),
        concurrency: count('concurrency', flags.concurrency, 1, 64),
        services: services(flags.services),
        dir: clusterDir(),
        base: cliConfig(program.opts()),
        lakeBin: lakeBin(),
        log,
      });
      const d = { ...describe(up.state), seconds: (Date.now() - started) / 1000 };
      if (flags.json) return printJson(d);
      console.log(
        table(
          ['host', 'namespace', 'address', 'runs'],
          d.hosts.map((h) => [h.name, h.netns, h.address, h.runs]),
        ),
      );
      console.log(`
cluster ${d.subnet} ready in ${d.seconds.toFixed(1)} s (HDFS replication ${d.replication})
  Kafka     ${d.endpoints.brokers.join(',')}
  WebHDFS   ${d.endpoints.namenodeUrl}
  registry  ${d.endpoints.registryUrl}
Use it from here:  LAKE_CONFIG=${d.clientConfig} lake publish --synthetic --rows 1000000
Services' APIs want:  Authorization: Bearer ${d.apiToken}
A host's shell:  ip netns exec ${d.hosts[1]?.netns ?? d.hosts[0]!.netns} bash
Stop everything:  lake cluster down`);
    });

  cluster
    .command('status')
    .description("the cluster's hosts, their processes and live DataNodes")
    .option('--json', 'print a JSON result')
    .action(async (flags: ClusterFlags) => {
      const state = ours();
      if (!state) {
        if (flags.json) return printJson(null);
        console.log(`no cluster runs from ${clusterDir()} (lake cluster up starts one)`);
        process.exitCode = 1;
        return;
      }
      const live = await LocalCluster.fromState(state)
        .liveDataNodes()
        .catch((): string[] => []);
      const d = { ...describe(state), liveDataNodes: live };
      if (flags.json) return printJson(d);
      console.log(
        table(
          ['host', 'address', 'processes', 'datanode', 'runs'],
          d.hosts.map((h) => [
            h.name,
            h.address,
            h.processes,
            h.name === 'infra' ? '-' : live.includes(h.address) ? green('live') : red('not live'),
            h.runs,
          ]),
        ),
      );
    });

  cluster
    .command('down')
    .description('stop every process of the cluster, delete its namespaces, links, bridge and data')
    .option('--json', 'print a JSON result')
    .action(async (flags: ClusterFlags) => {
      const state = ours();
      if (!state) {
        if (flags.json) return printJson({ stopped: false });
        console.log(`no cluster runs from ${clusterDir()}`);
        return;
      }
      const log = flags.json ? () => undefined : (line: string) => console.log(line);
      const left = await LocalCluster.fromState(state, log).down();
      if (flags.json)
        return printJson({ stopped: true, subnet: `${state.plan.subnet}.0/24`, leftBehind: left });
      if (left.length) process.exitCode = 1;
    });
}
