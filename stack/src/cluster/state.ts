import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { type ClusterPlan, clusterRegistryDir } from './plan';

export type ClusterService = 'ingest' | 'etl' | 'trainer' | 'predictor';

/** Everything needed to drive or tear down a cluster, kept in its claim file (mode 0600: it holds the API token). */
export interface ClusterState {
  plan: ClusterPlan;
  claim: string;
  /** Data, logs and configuration of every host, one folder each. */
  dir: string;
  createdAt: number;
  /** A cluster owned by a process (a test) is an orphan once that process is gone, and is swept. */
  ownerPid?: number;
  apiToken: string;
  replication: number;
  concurrency: number;
  services: ClusterService[];
  /** The configuration the cluster was made from (ports, heaps, jar cache, topic partitions). */
  base: LakeConfig;
  /** Merged into each worker host's service configuration (e.g. a faster staging sweep). */
  serviceConfig: Record<string, unknown>;
  /** The `lake` entry point the worker hosts run (`cli/bin/lake.js`). */
  lakeBin: string;
  /** Every `lake serve` started, with its host: worker names carry the pid, so outputs map to hosts. */
  serves: { host: string; pid: number; startedAt: number }[];
}

export function saveState(state: ClusterState): void {
  writeFileSync(state.claim, JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** Every cluster claimed on this machine with its state (claims still being set up are left out). */
export function listClusters(): ClusterState[] {
  const dir = clusterRegistryDir();
  if (!existsSync(dir)) return [];
  const out: ClusterState[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    try {
      const state = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Partial<ClusterState>;
      if (state.plan && state.dir && state.base) out.push(state as ClusterState);
    } catch {
      // a claim being written right now
    }
  }
  return out;
}
