import { sleep } from '@lakestream/core';
import { isAlive } from '../process';
import { ip, ipQuiet } from './ip';
import type { ClusterHost, ClusterPlan } from './plan';

/**
 * The cluster's wiring: a bridge in this namespace (with the gateway address, so tests and
 * the CLI here reach the hosts), and per host a namespace whose `eth0` is one end of a veth
 * pair, the other end on the bridge. No route leads anywhere else.
 */
export function createNetwork(plan: ClusterPlan): void {
  ip(['link', 'add', plan.bridge, 'type', 'bridge']);
  ip(['addr', 'add', `${plan.gateway}/24`, 'dev', plan.bridge]);
  ip(['link', 'set', plan.bridge, 'up']);
  for (const host of plan.hosts) {
    ip(['netns', 'add', host.netns]);
    ip(['link', 'add', host.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
    ip(['link', 'set', host.link, 'master', plan.bridge, 'up']);
    ip(['-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
    ip(['-n', host.netns, 'link', 'set', 'eth0', 'up']);
    // Loopback up as on any machine; nothing of ours is configured to use it.
    ip(['-n', host.netns, 'link', 'set', 'lo', 'up']);
  }
}

/** Plugs a host's cable in or pulls it out (its processes keep running, cut off from everyone). */
export function setLink(host: ClusterHost, up: boolean): void {
  ip(['link', 'set', host.link, up ? 'up' : 'down']);
}

/** Every process inside a host's namespace: by construction, only what the cluster started there. */
export function pidsIn(host: ClusterHost): number[] {
  const r = ipQuietOutput(['netns', 'pids', host.netns]);
  return r
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((p) => Number.isInteger(p) && p > 0);
}

function ipQuietOutput(args: string[]): string {
  try {
    return ip(args);
  } catch {
    return '';
  }
}

/** Signals every process of a host; after `graceMs` the survivors get SIGKILL. Resolves when all are gone. */
export async function killHostProcesses(host: ClusterHost, graceMs: number): Promise<number[]> {
  const pids = pidsIn(host);
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < killDeadline) await sleep(50);
  // A process started meanwhile (a restart racing the kill) is caught by a second pass.
  const late = pidsIn(host).filter((p) => !pids.includes(p));
  if (late.length > 0) await killHostProcesses(host, 0);
  return pids;
}

/** The synchronous part of a teardown (also run from an exit hook): processes, namespaces, bridge. */
export function destroyNetworkSync(plan: ClusterPlan): void {
  for (const host of plan.hosts) {
    for (const pid of pidsIn(host)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const host of plan.hosts) {
    // Deleting a namespace deletes its end of the veth pair, and with it the bridge's end.
    ipQuiet(['netns', 'del', host.netns]);
    ipQuiet(['link', 'del', host.link]);
  }
  ipQuiet(['link', 'del', plan.bridge]);
}

/** Namespaces and links of the plan that still exist (an empty list once torn down). */
export function leftovers(plan: ClusterPlan): string[] {
  const namespaces = ipQuietOutput(['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`${plan.prefix}-`));
  const links = ipQuietOutput(['-o', 'link', 'show'])
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => n?.startsWith(`${plan.prefix}-`) ?? false);
  return [...namespaces.map((n) => `netns ${n}`), ...links.map((l) => `link ${l}`)];
}

/** TCP sockets listening inside a host's namespace, as `address:port`. */
export function listeningSockets(host: ClusterHost): string[] {
  const out = ipQuietOutput(['netns', 'exec', host.netns, 'ss', '-ltnH']);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[3])
    .filter((a): a is string => Boolean(a));
}
