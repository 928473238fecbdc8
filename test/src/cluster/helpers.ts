import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LakeConfig } from '@lakestream/config';
import { publishSynthetic } from '@lakestream/publish';
import { type LocalCluster, tailFile } from '@lakestream/stack';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { lake } from '../etl/pipeline';

type Clients = ReturnType<typeof lake>;
const run = promisify(execFile);

/** Publishes a dirty synthetic batch, raw descriptor of partition p on topic partition p mod 12 (so hosts share evenly). */
export async function publishBatch(
  config: LakeConfig,
  clients: Clients,
  o: { dataset: string; batch: string; partitions: number; rowsPerPartition: number },
) {
  return publishSynthetic(
    {
      hdfs: clients.hdfs,
      producer: await clients.producer(),
      paths: clients.paths,
      rawTopicPartitions: config.kafka.topicPartitions,
    },
    {
      dataset: o.dataset,
      batch: o.batch,
      rows: o.partitions * o.rowsPerPartition,
      partitions: o.partitions,
      seed: 11,
      quirks: true,
      referenceDate: '2026-06-01',
      workers: 1,
    },
  );
}

/** Which host's `lake serve` wrote each partial of a batch (from the worker name in it), by host. */
export async function partitionsByHost(
  cluster: LocalCluster,
  clients: Clients,
  dir: string,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  const entries = await clients.hdfs.list(dir).catch(() => []);
  for (const e of entries.filter((x) => x.name.endsWith('.json'))) {
    const partial = await clients.readJson<{ worker: string }>(`${dir}/${e.name}`);
    const host = (partial && cluster.hostOfWorker(partial.worker)) ?? 'unknown';
    out[host] = [...(out[host] ?? []), Number(/(\d+)\.json$/.exec(e.name)?.[1])];
  }
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}

/** Members of a consumer group by the address they connect from (kafkajs reports `/<address>`), with their partitions. */
export async function groupByHost(
  config: LakeConfig,
  group: string,
): Promise<{ state: string; hosts: Record<string, { members: number; partitions: number }> }> {
  const admin = new Kafka({
    clientId: 'lake-cluster-test',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [g] = (await admin.describeGroups([group])).groups;
    const hosts: Record<string, { members: number; partitions: number }> = {};
    for (const m of g?.members ?? []) {
      const address = m.clientHost.replace(/^\//, '');
      const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      const partitions = Object.values(assignment?.assignment ?? {}).reduce((s, ps) => s + ps.length, 0);
      const h = hosts[address] ?? { members: 0, partitions: 0 };
      hosts[address] = { members: h.members + 1, partitions: h.partitions + partitions };
    }
    return { state: g?.state ?? 'Dead', hosts };
  } finally {
    await admin.disconnect();
  }
}

/** The DataNodes holding each block of a file (WebHDFS GETFILEBLOCKLOCATIONS), by address. */
export async function blockHosts(config: LakeConfig, path: string): Promise<string[][]> {
  const url = `${config.hdfs.namenodeUrl}/webhdfs/v1${path}?op=GETFILEBLOCKLOCATIONS&user.name=${config.hdfs.user}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GETFILEBLOCKLOCATIONS ${path} answered ${res.status}`);
  const body = (await res.json()) as { BlockLocations: { BlockLocation: { hosts: string[] }[] } };
  return body.BlockLocations.BlockLocation.map((b) => [...b.hosts].sort());
}

/** Reads a file in full and checks it against its sha256: served by whichever DataNode still has it. */
export async function readVerified(clients: Clients, path: string, sha256: string): Promise<void> {
  const bytes = await clients.hdfs.readFile(path, { maxBytes: 1 << 30 });
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new Error(`${path}: sha256 ${actual}, expected ${sha256}`);
}

/**
 * `lake train … --json` from this namespace against the cluster, as a user would: the
 * cluster's client configuration only (this process's LAKE_* settings name the main stack).
 */
export async function trainOnCluster(
  cluster: LocalCluster,
  o: { dataset: string; batch: string; model: string; job: string },
): Promise<{ version: number; trials: number; seconds: number }> {
  const dir = tempDir('lake-cluster-train-');
  const space = join(dir, 'space.json');
  writeFileSync(space, JSON.stringify({ n_estimators: [5, 10], max_depth: [6, 8], min_samples_split: [2] }));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('LAKE_')),
  ) as NodeJS.ProcessEnv;
  const { stdout } = await run(
    process.execPath,
    [
      join(repoRoot(), 'cli', 'bin', 'lake.js'),
      'train',
      '--dataset',
      o.dataset,
      '--batches',
      o.batch,
      '--space',
      space,
      '--cv',
      '2',
      '--name',
      o.model,
      '--job',
      o.job,
      '--timeout',
      '300',
      '--json',
    ],
    { env: { ...env, LAKE_CONFIG: join(cluster.state.dir, 'client.json') }, maxBuffer: 16 << 20 },
  );
  return JSON.parse(stdout) as { version: number; trials: number; seconds: number };
}

/** The end of every log of every host, for a failure's diagnosis. */
export function clusterLogTails(cluster: LocalCluster, lines = 15): string {
  const out: string[] = [];
  for (const host of cluster.state.plan.hosts) {
    const { stack, serve } = cluster.logDir(host.name);
    for (const dir of [stack, serve]) {
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.log'));
      } catch {
        continue;
      }
      for (const n of names) out.push(`--- ${host.name} ${n}\n${tailFile(join(dir, n), lines)}`);
    }
  }
  return out.join('\n');
}

/** Each partial of a folder as `worker@startedAt`, by partition: a partial once written never changes. */
export async function partialSignatures(clients: Clients, dir: string): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const e of (await clients.hdfs.list(dir).catch(() => [])).filter((x) => x.name.endsWith('.json'))) {
    const partial = await clients.readJson<{ worker: string; startedAt: number }>(`${dir}/${e.name}`);
    out[Number(/(\d+)\.json$/.exec(e.name)?.[1])] = `${partial?.worker}@${partial?.startedAt}`;
  }
  return out;
}
