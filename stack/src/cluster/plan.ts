import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError } from '../errors';
import { ip } from './ip';

/** The private range every local cluster takes a /24 of: 10.213.<n>.0/24. */
export const CLUSTER_NET = '10.213';

export type HostRole = 'infra' | 'worker';

/** One "machine" of a local cluster: a network namespace with one address. */
export interface ClusterHost {
  /** `infra`, `w1`, `w2`, … */
  name: string;
  role: HostRole;
  netns: string;
  /** This namespace's end of the host's cable (a veth on the bridge): cutting it cuts the host off. */
  link: string;
  address: string;
}

/** Names and addresses of a cluster, fixed when it is created. */
export interface ClusterPlan {
  id: string;
  /** Every namespace and link of the cluster starts with it (`lk<id>`), at most 6 characters. */
  prefix: string;
  /** The /24's first three octets, e.g. 10.213.7. */
  subnet: string;
  bridge: string;
  /** The bridge's own address: how processes in this namespace (tests, the CLI) reach the hosts. */
  gateway: string;
  hosts: ClusterHost[];
}

/** Where claims of a /24 live: one file per subnet, created exclusively, holding the cluster's state. */
export const clusterRegistryDir = (): string => join(tmpdir(), 'lakestream-clusters');
export const claimFile = (subnet: string): string => join(clusterRegistryDir(), `${subnet}.json`);

/**
 * Picks a /24 of 10.213.0.0/16 that no interface here uses and no other cluster has claimed,
 * and claims it (an exclusive create, so two clusters starting together never share one).
 * Returns the plan and the claim file, which then holds the cluster's state.
 */
export function claimPlan(workers: number): { plan: ClusterPlan; claim: string } {
  if (!Number.isInteger(workers) || workers < 1 || workers > 200)
    throw new StackError(`a local cluster has 1 to 200 worker hosts, not ${workers}`);
  const used = new Set(
    [...ip(['-o', '-4', 'addr', 'show']).matchAll(/inet 10\.213\.(\d+)\./g)].map((m) => Number(m[1])),
  );
  mkdirSync(clusterRegistryDir(), { recursive: true });
  for (let n = 1; n < 255; n++) {
    if (used.has(n)) continue;
    const subnet = `${CLUSTER_NET}.${n}`;
    let fd: number;
    try {
      fd = openSync(claimFile(subnet), 'wx', 0o600);
    } catch {
      continue;
    }
    const plan = makePlan(subnet, randomBytes(2).toString('hex'), workers);
    writeSync(fd, JSON.stringify({ plan, claimedAt: Date.now() }));
    closeSync(fd);
    return { plan, claim: claimFile(subnet) };
  }
  throw new StackError(
    `no free /24 left in ${CLUSTER_NET}.0.0/16 for a local cluster: see ${clusterRegistryDir()} and \`lake cluster down\``,
  );
}

function makePlan(subnet: string, id: string, workers: number): ClusterPlan {
  const prefix = `lk${id}`;
  const host = (name: string, role: HostRole, last: number): ClusterHost => ({
    name,
    role,
    netns: `${prefix}-${name}`,
    link: `${prefix}-${name}`,
    address: `${subnet}.${last}`,
  });
  return {
    id,
    prefix,
    subnet,
    bridge: `${prefix}-br`,
    gateway: `${subnet}.254`,
    hosts: [
      host('infra', 'infra', 1),
      ...Array.from({ length: workers }, (_, i) => host(`w${i + 1}`, 'worker', i + 2)),
    ],
  };
}
