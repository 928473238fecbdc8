/**
 * The services the train bench runs as their own processes (`lake serve <service> --concurrency
 * N`), their consumer groups as the broker sees them, and their memory from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { sleep } from '@lakestream/core';
import { Kafka, logLevel } from 'kafkajs';

const root = join(__dirname, '..', '..');

export interface RunningService {
  child: ChildProcess;
  /** Highest resident set seen by `sampleRss` (MB). */
  peakRssMB(): number;
  sampleRss(): void;
  stop(): Promise<void>;
}

/** Members of each group and whether all of them have settled (Stable or Empty). */
export async function groupMembers(
  config: LakeConfig,
  groups: string[],
): Promise<{ members: Record<string, number>; stable: boolean }> {
  const admin = new Kafka({
    clientId: 'lake-bench',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const described = await admin.describeGroups(groups);
    const members: Record<string, number> = {};
    let stable = true;
    for (const g of described.groups) {
      members[g.groupId] = g.members.length;
      if (g.state !== 'Stable' && g.state !== 'Empty') stable = false;
    }
    return { members, stable };
  } finally {
    await admin.disconnect();
  }
}

/** Current and peak resident set of a process in MB (from /proc; 0 when gone). */
export function rssOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/**
 * Starts `lake serve <service> --concurrency N` on a free HTTP port and waits until it logs
 * `readyLine` and each of `groups` has at least `members[group]` members, all settled.
 */
export async function startService(
  config: LakeConfig,
  o: {
    service: 'etl' | 'trainer';
    concurrency: number;
    configDir: string;
    readyLine: string;
    groups: Record<string, number>;
  },
): Promise<RunningService> {
  const port = await freePort();
  const configFile = join(o.configDir, `lake.config-${o.service}-${o.concurrency}-${port}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({ http: { ...config.http, ports: { ...config.http.ports, [o.service]: port } } }),
  );
  const child = spawn(
    process.execPath,
    [join(root, 'cli', 'bin', 'lake.js'), 'serve', o.service, '--concurrency', String(o.concurrency)],
    {
      cwd: root,
      env: { ...process.env, LAKE_CONFIG: configFile, LAKE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Ready once it logs so (pino JSON on stdout); the rest of its log is dropped.
  let ready = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!ready && chunk.toString('utf8').includes(o.readyLine)) ready = true;
  });
  let peak = 0;
  const service: RunningService = {
    child,
    peakRssMB: () => Math.max(peak, child.pid ? rssOf(child.pid).hwm : 0),
    sampleRss: () => {
      if (child.pid) peak = Math.max(peak, rssOf(child.pid).rss);
    },
    stop: () => stopChild(child),
  };
  try {
    const by = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`lake serve ${o.service} exited with ${child.exitCode}`);
      if (ready) {
        const g = await groupMembers(config, Object.keys(o.groups));
        if (g.stable && Object.entries(o.groups).every(([name, n]) => (g.members[name] ?? 0) >= n)) break;
      }
      if (Date.now() > by)
        throw new Error(`lake serve ${o.service}: not consuming in ${Object.keys(o.groups)} within 90 s`);
      await sleep(300);
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return service;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** A port nothing listens on right now (bound, then released), for a child's HTTP side. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
