/**
 * The three workloads the cluster bench measures on whichever worker hosts serve: an ETL
 * batch, a hyperparameter search, and scoring a clean batch. Each reports its throughput and
 * the share of the work every host did (from the worker names in the outputs).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec } from '@lakestream/contracts';
import { type LakePaths, sleep } from '@lakestream/core';
import type { HdfsClient } from '@lakestream/hdfs';
import type { Producer } from '@lakestream/kafka';
import type { ModelVersionMetadata } from '@lakestream/models';
import { publishSynthetic } from '@lakestream/publish';
import type { LocalCluster } from '@lakestream/stack';
import { Kafka, logLevel } from 'kafkajs';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

export interface Lake {
  cluster: LocalCluster;
  config: LakeConfig;
  hdfs: HdfsClient;
  paths: LakePaths;
  /** Encodes with the registry (publishing). */
  producer: Producer;
  /** Sends bytes as they are (replaying descriptors). */
  rawProducer: Producer;
  local: string;
}

/** How many partitions (or trials) each host handled, and min ÷ max over the hosts serving (1: even). */
export interface Share {
  byHost: Record<string, number>;
  balance: number;
}

const readJson = async <T>(hdfs: HdfsClient, path: string): Promise<T> =>
  JSON.parse(Buffer.from(await hdfs.readFile(path, { maxBytes: 64 << 20 })).toString('utf8')) as T;

async function waitFor(hdfs: HdfsClient, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await hdfs.exists(path))) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

function share(cluster: LocalCluster, workers: string[], hosts: string[]): Share {
  const byHost: Record<string, number> = Object.fromEntries(hosts.map((h) => [h, 0]));
  for (const w of workers) {
    const host = cluster.hostOfWorker(w) ?? 'elsewhere';
    byHost[host] = (byHost[host] ?? 0) + 1;
  }
  const counts = hosts.map((h) => byHost[h] ?? 0);
  return { byHost, balance: Math.max(...counts) > 0 ? Math.min(...counts) / Math.max(...counts) : 0 };
}

/** The worker named in each partial of a folder. */
async function partialWorkers(hdfs: HdfsClient, dir: string): Promise<string[]> {
  const files = (await hdfs.list(dir)).filter((f) => f.name.endsWith('.json'));
  return Promise.all(files.map(async (f) => (await readJson<{ worker: string }>(hdfs, f.path)).worker));
}

/** Publishes a batch; raw descriptor p goes to topic partition p mod topicPartitions, so members share evenly. */
export async function publish(
  lake: Lake,
  o: { dataset: string; batch: string; partitions: number; rowsPerPartition: number },
): Promise<void> {
  await publishSynthetic(
    {
      hdfs: lake.hdfs,
      producer: lake.producer,
      paths: lake.paths,
      rawTopicPartitions: lake.config.kafka.topicPartitions,
    },
    {
      dataset: o.dataset,
      batch: o.batch,
      rows: o.partitions * o.rowsPerPartition,
      partitions: o.partitions,
      workers: 2,
      seed: 42,
      quirks: true,
      referenceDate: '2026-06-01',
    },
  );
}

export async function cleaned(lake: Lake, dataset: string, batch: string, timeoutMs: number): Promise<void> {
  await waitFor(lake.hdfs, `${lake.paths.cleanBatch(dataset, batch)}/_SUCCESS`, timeoutMs);
}

/** ETL of a published batch, timed from its descriptors sent to its report in HDFS. */
export async function etlRound(
  lake: Lake,
  o: { dataset: string; batch: string; partitions: number; rowsPerPartition: number; hosts: string[] },
) {
  await publish(lake, o);
  const sent = Date.now();
  const reportPath = `${lake.paths.reports(o.dataset, o.batch)}/etl_report.json`;
  await waitFor(lake.hdfs, reportPath, 900_000);
  const wallSeconds = (Date.now() - sent) / 1000;
  const report = await readJson<{ rowsIn: number; rowsOut: number; seconds: number }>(lake.hdfs, reportPath);
  const workers = await partialWorkers(lake.hdfs, `${lake.paths.reports(o.dataset, o.batch)}/_partials`);
  return {
    rows: report.rowsIn,
    rowsOut: report.rowsOut,
    partitions: o.partitions,
    wallSeconds,
    reportSeconds: report.seconds,
    rowsPerSecond: Math.round(report.rowsIn / wallSeconds),
    partitionsShare: share(lake.cluster, workers, o.hosts),
  };
}

/** Every committed record of `topic` whose key starts with `prefix`: bytes, key and partition. */
async function readRecords(
  config: LakeConfig,
  topic: string,
  prefix: string,
  expected: number,
): Promise<{ key: string; value: Buffer; partition: number }[]> {
  const kafka = new Kafka({
    clientId: 'lake-bench-cluster',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `lake-bench-reader-${Date.now()}`, readUncommitted: false });
  const out: { key: string; value: Buffer; partition: number }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const key = message.key?.toString() ?? '';
        if (key.startsWith(prefix) && message.value) out.push({ key, value: message.value, partition });
      },
    });
    const deadline = Date.now() + 60_000;
    while (out.length < expected) {
      if (Date.now() > deadline)
        throw new Error(`found ${out.length} of ${expected} records ${prefix}* on ${topic}`);
      await sleep(100);
    }
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/**
 * Scoring a clean batch with the ETL idle: the batch was cleaned before any model existed
 * (left unscored), and its clean descriptors are now sent again, as a redelivery would; the
 * predictor workers of the serving hosts score it with the production model. Timed from the
 * replay to prediction.json.
 */
export async function predictRound(
  lake: Lake,
  o: { dataset: string; batch: string; partitions: number; model: string; version: number; hosts: string[] },
) {
  const records = await readRecords(
    lake.config,
    'lake.chunks.clean',
    `${o.dataset}/${o.batch}/`,
    o.partitions,
  );
  const sent = Date.now();
  await lake.rawProducer.send('lake.chunks.clean', records);
  const dir = lake.paths.predictions(o.dataset, o.model, o.version, o.batch);
  await waitFor(lake.hdfs, `${dir}/prediction.json`, 900_000);
  const wallSeconds = (Date.now() - sent) / 1000;
  const summary = await readJson<{ rows: number; seconds: number; rowsPerSecond: number }>(
    lake.hdfs,
    `${dir}/prediction.json`,
  );
  return {
    rows: summary.rows,
    partitions: o.partitions,
    wallSeconds,
    summarySeconds: summary.seconds,
    rowsPerSecond: Math.round(summary.rows / wallSeconds),
    partitionsShare: share(lake.cluster, await partialWorkers(lake.hdfs, `${dir}/_partials`), o.hosts),
  };
}

/** `lake train --json` from here against the cluster; trial results per second of search, from the model's metadata. */
export async function trainRound(
  lake: Lake,
  o: {
    dataset: string;
    batch: string;
    model: string;
    job: string;
    grid: object;
    cv: number;
    hosts: string[];
  },
) {
  const space = join(lake.local, `${o.job}.json`);
  writeFileSync(space, JSON.stringify(o.grid));
  // This process's LAKE_* settings name the main stack; the cluster's client file names the cluster.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LAKE_')));
  const args = [
    'train',
    '--dataset',
    o.dataset,
    '--batches',
    o.batch,
    '--space',
    space,
    '--cv',
    String(o.cv),
  ];
  args.push('--name', o.model, '--job', o.job, '--seed', '42', '--timeout', '1800', '--json');
  const { stdout } = await run(process.execPath, [join(root, 'cli', 'bin', 'lake.js'), ...args], {
    env: { ...env, LAKE_CONFIG: join(lake.cluster.state.dir, 'client.json') },
    maxBuffer: 16 << 20,
  });
  const out = JSON.parse(stdout) as { version: number; seconds: number };
  const meta = await readJson<ModelVersionMetadata>(
    lake.hdfs,
    `${lake.paths.root}/models/${o.model}/v${out.version}/metadata.json`,
  );
  const trialResults = meta.trials.reduce((s, t) => s + t.foldMse.length, 0);
  const codec = createRegistryCodec({ url: lake.config.registry.url });
  const results = await readRecords(lake.config, 'lake.training.results', `${o.job}/`, trialResults);
  const workers = await Promise.all(
    results.map(
      async (r) => ((await codec.decode(r.value, 'lake.training.results')) as { worker: string }).worker,
    ),
  );
  return {
    version: out.version,
    jobSeconds: out.seconds,
    searchSeconds: meta.timings.searchSeconds,
    trialResults,
    trialsPerSecond: trialResults / meta.timings.searchSeconds,
    trialsShare: share(lake.cluster, workers, o.hosts),
  };
}
