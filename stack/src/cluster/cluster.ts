import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { sleep } from '@lakestream/core';
import { StackError } from '../errors';
import { isAlive } from '../process';
import { stackUp } from '../stack';
import {
  clientConfig,
  clientConfigFile,
  endpoints,
  hostDir,
  hostStackConfig,
  infraHost,
  workerHosts,
} from './configs';
import { liveDataNodes } from './datanodes';
import { namespacesUnavailable } from './ip';
import {
  createNetwork,
  destroyNetworkSync,
  killHostProcesses,
  leftovers,
  listeningSockets,
  pidsIn,
  setLink,
} from './network';
import { type ClusterHost, claimPlan } from './plan';
import { startServe, stopServe, waitServeReady } from './serve';
import { type ClusterService, type ClusterState, listClusters, saveState } from './state';

export interface ClusterOptions {
  /** Worker hosts (the infrastructure host comes on top). */
  workers: number;
  /** Where every host's data, logs and configuration go (wiped by `down`). */
  dir: string;
  /** Ports, heaps, the jar cache and topic partitions come from here. */
  base: LakeConfig;
  /** The `lake` entry point worker hosts run (`cli/bin/lake.js`). */
  lakeBin: string;
  /** Consumers per service on each worker host (`--concurrency`). Default 1. */
  concurrency?: number;
  services?: ClusterService[];
  /** Copies of each HDFS block. Default 2 with two or more worker hosts, else 1. */
  replication?: number;
  /** Start `lake serve` on every worker host once HDFS is up. Default true. */
  serve?: boolean;
  /** Merged into each worker host's service configuration. */
  serviceConfig?: Record<string, unknown>;
  /**
   * Tear the cluster down when this process exits, and let a later `up` sweep it if this
   * process dies without doing so (tests). Default false: it lives until `lake cluster down`.
   */
  ownedByThisProcess?: boolean;
  log?: (line: string) => void;
}

const STACK_DIR = join(__dirname, '..', '..');

/**
 * N "machines" on this one: Linux network namespaces on a bridge, each with its own address.
 * The infrastructure host runs Kafka, the NameNode and the registry; each worker host a
 * DataNode and `lake serve <services> --concurrency K`. Every server and service is told the
 * others' addresses by configuration, as on separate machines.
 */
export class LocalCluster {
  private exitHook?: () => void;

  private constructor(
    readonly state: ClusterState,
    private readonly log: (line: string) => void,
  ) {}

  static async up(o: ClusterOptions): Promise<LocalCluster> {
    const log = o.log ?? (() => undefined);
    const unavailable = namespacesUnavailable();
    if (unavailable) throw new StackError(`a local cluster needs Linux network namespaces: ${unavailable}`);
    await sweepOrphans(log);
    const running = listClusters().find((c) => c.dir === o.dir);
    if (running)
      throw new StackError(
        `a cluster already runs from ${o.dir} (${running.plan.subnet}.0/24): \`lake cluster down\` first`,
      );
    const { plan, claim } = claimPlan(o.workers);
    const { apiToken: _dropped, ...http } = o.base.http;
    const state: ClusterState = {
      plan,
      claim,
      dir: o.dir,
      createdAt: Date.now(),
      ownerPid: o.ownedByThisProcess ? process.pid : undefined,
      apiToken: randomBytes(24).toString('base64url'),
      replication: o.replication ?? Math.min(2, o.workers),
      concurrency: o.concurrency ?? 1,
      services: o.services ?? ['etl', 'trainer', 'predictor'],
      base: { ...o.base, http },
      serviceConfig: o.serviceConfig ?? {},
      lakeBin: o.lakeBin,
      serves: [],
    };
    saveState(state);
    const cluster = new LocalCluster(state, log);
    if (o.ownedByThisProcess) cluster.installExitHook();
    try {
      rmSync(o.dir, { recursive: true, force: true });
      mkdirSync(o.dir, { recursive: true });
      createNetwork(plan);
      log(
        `network ${plan.subnet}.0/24 on bridge ${plan.bridge}: ${plan.hosts.map((h) => `${h.name} ${h.address}`).join(', ')}`,
      );
      await cluster.startServers();
      writeFileSync(join(o.dir, 'client.json'), `${JSON.stringify(clientConfigFile(state), null, 2)}\n`);
      if (o.serve ?? true) await Promise.all(cluster.workers.map((h) => cluster.serve(h.name)));
      return cluster;
    } catch (error) {
      log(`start failed, tearing down: ${(error as Error).message}`);
      await cluster.down().catch(() => undefined);
      throw error;
    }
  }

  /** A cluster started earlier (by another process): for `lake cluster down` and status. */
  static fromState(state: ClusterState, log: (line: string) => void = () => undefined): LocalCluster {
    return new LocalCluster(state, log);
  }

  get infra(): ClusterHost {
    return infraHost(this.state);
  }

  get workers(): ClusterHost[] {
    return workerHosts(this.state);
  }

  host(name: string): ClusterHost {
    const host = this.state.plan.hosts.find((h) => h.name === name);
    if (!host)
      throw new StackError(
        `no host ${name} in the cluster (${this.state.plan.hosts.map((h) => h.name).join(', ')})`,
      );
    return host;
  }

  /** The configuration of a client in this namespace: Kafka, HDFS and the registry at the infrastructure host. */
  get clientConfig(): LakeConfig {
    return clientConfig(this.state);
  }

  get endpoints() {
    return endpoints(this.state);
  }

  /** Kafka, NameNode and registry on the infrastructure host, a DataNode on each worker host; waits for all. */
  private async startServers(): Promise<void> {
    const started = Date.now();
    // The NameNode counts as usable once a DataNode has registered: both start together.
    const results = await Promise.allSettled([
      this.startStack(this.infra, ['kafka', 'namenode', 'registry']),
      ...this.workers.map((h) => this.startStack(h, ['datanode'])),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await this.waitForDataNodes(this.workers);
    this.log(`servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  private async startStack(host: ClusterHost, only: ('kafka' | 'namenode' | 'registry' | 'datanode')[]) {
    await stackUp({
      config: hostStackConfig(this.state, host),
      stackDir: STACK_DIR,
      only,
      exec: ['ip', 'netns', 'exec', host.netns],
      log: (line) => this.log(`[${host.name}] ${line}`),
    });
  }

  /** Waits until the NameNode counts each of `hosts`' DataNodes as live. */
  async waitForDataNodes(hosts: ClusterHost[], timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await this.liveDataNodes().catch((): string[] => []);
      if (hosts.every((h) => live.includes(h.address))) return;
      if (Date.now() > deadline)
        throw new StackError(
          `DataNodes of ${hosts.map((h) => h.name).join(', ')} not all live after ${timeoutMs / 1000} s (live: ${live.join(', ') || 'none'})`,
        );
      await sleep(500);
    }
  }

  /** Addresses of the DataNodes the NameNode counts as live. */
  liveDataNodes(): Promise<string[]> {
    return liveDataNodes(this.endpoints.namenodeUrl);
  }

  /**
   * Starts `lake serve` on a worker host (with `concurrency` consumers per service, default the
   * cluster's) and waits until each service answers ready.
   */
  async serve(name: string, options: { concurrency?: number } = {}): Promise<number> {
    const host = this.host(name);
    const concurrency = options.concurrency ?? this.state.concurrency;
    const pid = startServe(this.state, host, concurrency);
    this.state.serves.push({ host: host.name, pid, startedAt: Date.now() });
    saveState(this.state);
    this.log(
      `[${host.name}] lake serve ${this.state.services.join(' ')} --concurrency ${concurrency} (pid ${pid})`,
    );
    await waitServeReady(this.state, host, pid);
    return pid;
  }

  /** Stops a worker host's `lake serve` gracefully (its consumers leave their groups). */
  async stopServe(name: string): Promise<void> {
    await stopServe(this.state, this.host(name));
  }

  /** The host whose `lake serve` wrote `worker` (`etl@<hostname>/<pid>/<thread>`), if one of ours. */
  hostOfWorker(worker: string): string | undefined {
    const pid = Number(/\/(\d+)(?:\/|$)/.exec(worker)?.[1]);
    return this.state.serves.find((s) => s.pid === pid)?.host;
  }

  /** Pulls a host's cable out: its processes run on, unreachable and unable to reach anyone. */
  cutLink(name: string): void {
    setLink(this.host(name), false);
  }

  restoreLink(name: string): void {
    setLink(this.host(name), true);
  }

  /** A machine lost: its cable pulled first (no goodbye reaches anyone), then every process in it killed. */
  async loseHost(name: string): Promise<number[]> {
    const host = this.host(name);
    setLink(host, false);
    return killHostProcesses(host, 0);
  }

  /** A lost host back: cable in, its DataNode (with the blocks it kept) and `lake serve` started again. */
  async restoreHost(name: string): Promise<void> {
    const host = this.host(name);
    setLink(host, true);
    await this.startStack(host, ['datanode']);
    await this.waitForDataNodes([host]);
    await this.serve(name);
  }

  pids(name: string): number[] {
    return pidsIn(this.host(name));
  }

  /** TCP sockets listening in each host, as `address:port`. */
  listening(): Record<string, string[]> {
    return Object.fromEntries(this.state.plan.hosts.map((h) => [h.name, listeningSockets(h)]));
  }

  /** Logs of a host: its servers' and its `lake serve`'s. */
  logDir(name: string): { stack: string; serve: string } {
    const dir = hostDir(this.state, this.host(name));
    return { stack: join(dir, 'stack', 'logs'), serve: join(dir, 'logs') };
  }

  /**
   * Everything gone: processes (workers first, then the infrastructure), namespaces, links,
   * the bridge, the data folder and the claim. Returns what could not be removed (nothing, normally).
   */
  async down(options: { keepData?: boolean } = {}): Promise<string[]> {
    await Promise.all(this.workers.map((h) => killHostProcesses(h, 10_000)));
    await killHostProcesses(this.infra, 15_000);
    destroyNetworkSync(this.state.plan);
    if (!options.keepData) rmSync(this.state.dir, { recursive: true, force: true });
    rmSync(this.state.claim, { force: true });
    if (this.exitHook) process.removeListener('exit', this.exitHook);
    const left = leftovers(this.state.plan);
    this.log(left.length ? `left behind: ${left.join(', ')}` : 'cluster torn down');
    return left;
  }

  private installExitHook(): void {
    // Only synchronous work runs at exit: kill, delete the namespaces and bridge, remove the files.
    this.exitHook = () => {
      destroyNetworkSync(this.state.plan);
      rmSync(this.state.dir, { recursive: true, force: true });
      rmSync(this.state.claim, { force: true });
    };
    process.once('exit', this.exitHook);
  }
}

/** Tears down clusters whose owning process died without doing it (a test killed by a timeout). */
export async function sweepOrphans(log: (line: string) => void = () => undefined): Promise<number> {
  let swept = 0;
  for (const state of listClusters()) {
    if (state.ownerPid === undefined || isAlive(state.ownerPid)) continue;
    log(`sweeping the orphaned cluster ${state.plan.subnet}.0/24 of dead process ${state.ownerPid}`);
    await LocalCluster.fromState(state, log).down();
    swept++;
  }
  return swept;
}
