import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { sleep } from '@lakestream/core';
import { StackError } from './errors';
import { ensureArtifact } from './install';
import { findJava } from './java';
import { logFile, pidFile, type ServerName, type StackLayout, stackLayout } from './layout';
import { portIsFree } from './ports';
import { isAlive, markerFor, runningPid, startProcess, stopProcess, tailFile } from './process';
import { datanodeServer, namenodeServer } from './servers/hdfs';
import { kafkaServer } from './servers/kafka';
import { registryServer } from './servers/registry';
import type { ServerSpec } from './servers/server';

export const STACK_SERVERS: readonly ServerSpec[] = [
  kafkaServer,
  namenodeServer,
  datanodeServer,
  registryServer,
];

export interface StackOptions {
  config: LakeConfig;
  /** The repository's stack/ folder (holds the Maven poms). */
  stackDir?: string;
  log?: (line: string) => void;
  /** Only these servers (default: all). */
  only?: ServerName[];
  /**
   * A command each server runs under, e.g. `['ip', 'netns', 'exec', 'lk1-infra']` for a host of
   * a local cluster. Its ports are then another network namespace's, so they are not checked
   * from here: a port taken there shows as the server exiting during start-up.
   */
  exec?: string[];
}

export interface ServerStatus {
  name: ServerName;
  pid?: number;
  running: boolean;
  ready: boolean;
  detail: string;
  endpoint: string;
  log: string;
}

export interface StackUpResult {
  /** Servers this call started (the rest were already running). */
  started: ServerName[];
  servers: ServerStatus[];
  seconds: number;
  downloaded: boolean;
}

const defaultStackDir = (): string => join(__dirname, '..');

function context(options: StackOptions): {
  layout: StackLayout;
  specs: ServerSpec[];
  log: (l: string) => void;
} {
  const layout = stackLayout(options.config, options.stackDir ?? defaultStackDir());
  const specs = STACK_SERVERS.filter((s) => !options.only || options.only.includes(s.name));
  return { layout, specs, log: options.log ?? (() => undefined) };
}

const heapOf = (c: LakeConfig, name: ServerName): string => c.stack.heap[name];

/**
 * Starts whatever is not running, then waits until every server is usable. Running it
 * twice is harmless: servers already running (by pid and marker) are left alone. When a
 * server cannot start, the ones this call started are stopped again before the error.
 */
export async function stackUp(options: StackOptions): Promise<StackUpResult> {
  const started = Date.now();
  const { layout, specs, log } = context(options);
  let downloaded = false;
  for (const artifact of new Set(specs.map((s) => s.artifact)))
    downloaded = ensureArtifact(layout, artifact, log) || downloaded;
  const startedNow: ServerName[] = [];
  try {
    await startAndWait(options, startedNow);
  } catch (error) {
    if (startedNow.length > 0) {
      log(`stopping what this start began: ${startedNow.join(', ')}`);
      await stackDown({ ...options, only: startedNow }).catch(() => undefined);
    }
    throw error;
  }
  return {
    started: startedNow,
    servers: await stackStatus(options),
    seconds: (Date.now() - started) / 1000,
    downloaded,
  };
}

async function startAndWait(options: StackOptions, startedNow: ServerName[]): Promise<void> {
  const { config } = options;
  const { layout, specs, log } = context(options);
  const pids = new Map<ServerName, number>();
  for (const spec of specs) {
    const marker = markerFor(spec.name, config.stack.dataDir);
    const existing = runningPid(pidFile(layout, spec.name), marker);
    if (existing) {
      pids.set(spec.name, existing);
      continue;
    }
    for (const port of options.exec ? [] : spec.ports(config)) {
      if (!(await portIsFree(config.stack.host, port))) {
        throw new StackError(
          `port ${port} on ${config.stack.host} is already in use, so ${spec.name} cannot start. ` +
            `Stop whatever listens there (\`ss -ltnp 'sport = :${port}'\` shows it) or choose other ports in lake.config.json (stack.ports).`,
          spec.name,
        );
      }
    }
    const java = findJava(spec.minJava);
    spec.prepare(config, layout, java);
    const jvm = [
      java.bin,
      markerFor(spec.name, config.stack.dataDir),
      `-Xmx${heapOf(config, spec.name)}`,
      ...spec.args(config, layout),
    ];
    const [command, ...args] = [...(options.exec ?? []), ...jvm];
    const pid = startProcess({
      java: command!,
      args,
      cwd: layout.data[
        spec.name === 'kafka' ? 'kafka' : spec.name === 'registry' ? 'registry' : 'hadoopConf'
      ],
      logFile: logFile(layout, spec.name),
      pidFile: pidFile(layout, spec.name),
    });
    log(`started ${spec.name} (pid ${pid}), log ${logFile(layout, spec.name)}`);
    pids.set(spec.name, pid);
    startedNow.push(spec.name);
  }

  const deadline = Date.now() + config.stack.startTimeoutMs;
  const pending = new Set(specs.map((s) => s.name));
  const details = new Map<ServerName, string>();
  while (pending.size > 0) {
    for (const spec of specs.filter((s) => pending.has(s.name))) {
      const pid = pids.get(spec.name)!;
      if (!isAlive(pid)) {
        throw new StackError(
          `${spec.name} exited during start-up. Its log ends with the lines below; the full log is ${logFile(layout, spec.name)}. ` +
            'If the data folder is damaged, `lake stack down --wipe` starts afresh (it deletes the stack data).',
          spec.name,
          tailFile(logFile(layout, spec.name)),
        );
      }
      try {
        details.set(spec.name, await spec.probe(config));
        pending.delete(spec.name);
        log(`${spec.name} ready: ${details.get(spec.name)}`);
      } catch (error) {
        details.set(spec.name, (error as Error).message);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      const name = [...pending][0]!;
      throw new StackError(
        `${[...pending].join(', ')} not usable after ${config.stack.startTimeoutMs / 1000} s (last: ${details.get(name)}). ` +
          `See ${logFile(layout, name)}; a slow machine may need a longer stack.startTimeoutMs.`,
        name,
        tailFile(logFile(layout, name)),
      );
    }
    await sleep(500);
  }
}

/** Each server's process and whether it is usable right now. */
export async function stackStatus(options: StackOptions): Promise<ServerStatus[]> {
  const { config } = options;
  const { layout, specs } = context(options);
  return Promise.all(
    specs.map(async (spec) => {
      const pid = runningPid(pidFile(layout, spec.name), markerFor(spec.name, config.stack.dataDir));
      let ready = false;
      let detail = pid ? 'running' : 'stopped';
      try {
        detail = await spec.probe(config);
        ready = true;
      } catch (error) {
        if (pid) detail = (error as Error).message;
      }
      return {
        name: spec.name,
        pid,
        running: pid !== undefined,
        ready,
        detail,
        endpoint: spec.endpoint(config),
        log: logFile(layout, spec.name),
      };
    }),
  );
}

/** Stops the servers this stack started (by pid and marker only); `wipe` deletes their data. */
export async function stackDown(options: StackOptions & { wipe?: boolean }): Promise<ServerName[]> {
  const { config } = options;
  const { layout, specs, log } = context(options);
  const stopped: ServerName[] = [];
  // Clients first, servers they depend on last.
  for (const spec of [...specs].reverse()) {
    const pid = runningPid(pidFile(layout, spec.name), markerFor(spec.name, config.stack.dataDir));
    if (!pid) continue;
    await stopProcess(pid, pidFile(layout, spec.name));
    log(`stopped ${spec.name} (pid ${pid})`);
    stopped.push(spec.name);
  }
  if (options.wipe) {
    rmSync(config.stack.dataDir, { recursive: true, force: true });
    log(`wiped ${config.stack.dataDir}`);
  }
  return stopped;
}
