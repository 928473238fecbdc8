import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '@lakestream/core';
import { StackError } from '../errors';
import { isAlive, startProcess, stopProcess, tailFile } from '../process';
import { hostDir, serviceConfigFile } from './configs';
import { pidsIn } from './network';
import type { ClusterHost } from './plan';
import type { ClusterState } from './state';

const files = (s: ClusterState, host: ClusterHost) => {
  const dir = hostDir(s, host);
  return {
    dir,
    config: join(dir, 'lake.config.json'),
    log: join(dir, 'logs', 'serve.log'),
    pid: join(dir, 'run', 'serve.pid'),
  };
};

/**
 * The environment of a worker host's `lake serve`: ours without any LAKE_* variable (this
 * machine's settings must not leak onto another "machine"), then its config file and token.
 */
function serveEnv(s: ClusterState, configFile: string, home: string): NodeJS.ProcessEnv {
  const cleared = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('LAKE_'))
      // An empty value counts as unset for the configuration.
      .map((k) => [k, '']),
  );
  return { ...cleared, LAKE_HOME: home, LAKE_CONFIG: configFile, LAKE_API_TOKEN: s.apiToken };
}

/** Starts `lake serve <services> --concurrency K` inside a worker host's namespace, detached; returns its pid. */
export function startServe(s: ClusterState, host: ClusterHost, concurrency = s.concurrency): number {
  const f = files(s, host);
  mkdirSync(f.dir, { recursive: true });
  writeFileSync(f.config, `${JSON.stringify(serviceConfigFile(s, host, concurrency), null, 2)}\n`);
  // `ip netns exec` execs the command in place: the pid is lake serve's own.
  return startProcess({
    java: 'ip',
    args: [
      'netns',
      'exec',
      host.netns,
      process.execPath,
      s.lakeBin,
      'serve',
      ...s.services,
      '--concurrency',
      String(concurrency),
    ],
    cwd: f.dir,
    logFile: f.log,
    pidFile: f.pid,
    env: serveEnv(s, f.config, f.dir),
  });
}

/** Waits until every service of the host answers `/health/ready` on its address. */
export async function waitServeReady(
  s: ClusterState,
  host: ClusterHost,
  pid: number,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(s.services);
  while (pending.size > 0) {
    if (!isAlive(pid))
      throw new StackError(
        `lake serve on ${host.name} (${host.address}) exited during start-up; its log is ${files(s, host).log}`,
        host.name,
        tailFile(files(s, host).log),
      );
    for (const service of [...pending]) {
      const url = `http://${host.address}:${s.base.http.ports[service]}/health/ready`;
      const ok = await fetch(url, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) pending.delete(service);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline)
      throw new StackError(
        `${[...pending].join(', ')} on ${host.name} not ready after ${timeoutMs / 1000} s; its log is ${files(s, host).log}`,
        host.name,
        tailFile(files(s, host).log),
      );
    await sleep(500);
  }
}

/** SIGTERM to every `lake serve` of the host still running (its consumers leave their groups), then SIGKILL. */
export async function stopServe(s: ClusterState, host: ClusterHost): Promise<void> {
  const inHost = pidsIn(host);
  for (const { pid } of s.serves.filter((x) => x.host === host.name && inHost.includes(x.pid)))
    await stopProcess(pid, files(s, host).pid, 20_000);
}
