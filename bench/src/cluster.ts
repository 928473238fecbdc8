/**
 * Scale-out across hosts. One local cluster (`lake cluster up`'s machinery: an infrastructure
 * host with Kafka, the NameNode and the registry, and three worker hosts with a DataNode each,
 * as network namespaces on this machine, HDFS replication 2); the services (`lake serve etl
 * trainer predictor`) then run on 1, 2 and 3 of the worker hosts with the same total of 6
 * consumers per service (--concurrency 6, 3, 2 per host). This machine's cores are the total
 * whatever the host count, so the measure is per-core efficiency against one host, and how
 * evenly the hosts shared the partitions. Per configuration:
 *  - ETL: a dirty batch, timed from its descriptors sent to its report;
 *  - trials: `lake train` of a grid on a clean batch, trial results per second of search;
 *  - prediction: a batch cleaned before any model existed has its clean descriptors sent again
 *    (as a redelivery would), so the predictors of the serving hosts score it with the ETL idle.
 * Needs root and iproute2 (network namespaces). `--quick`: small sizes; a run still takes
 * minutes (a cluster start and nine service starts), so it stays out of the quick bench test.
 * Run: `npm run bench -- cluster [--quick]`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lakestream/config';
import { createRegistryCodec } from '@lakestream/contracts';
import { LakePaths, sleep } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { createProducer } from '@lakestream/kafka';
import { ModelRegistry, PRODUCTION } from '@lakestream/models';
import { LocalCluster, namespacesUnavailable, tailFile } from '@lakestream/stack';
import { cleaned, etlRound, type Lake, predictRound, publish, trainRound } from './cluster-rounds';
import { writeResult } from './results';
import { groupMembers } from './train-services';

const root = join(__dirname, '..', '..');
const TOTAL = 6;
const HOST_COUNTS = [1, 2, 3];
const MODEL = 'salary';
const GROUPS = ['lake-etl', 'lake-predictor', 'lake-trainer-trials'];
const log = (line: string) => process.stderr.write(`${line}\n`);
interface Round {
  hosts: number;
  concurrencyPerHost: number;
  etl: Awaited<ReturnType<typeof etlRound>>;
  trials: Awaited<ReturnType<typeof trainRound>>;
  predict: Awaited<ReturnType<typeof predictRound>>;
  loadBefore: number;
  loadAfter: number;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function runClusterBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const sizes = quick
    ? { etl: [6, 30_000], predict: [6, 30_000], train: [2, 40_000] }
    : { etl: [12, 500_000], predict: [12, 400_000], train: [4, 250_000] };
  const grid = quick
    ? { n_estimators: [5, 10], max_depth: [6], min_samples_split: [2, 5] }
    : { n_estimators: [20, 50], max_depth: [8, 12], min_samples_split: [2, 5] };
  const unavailable = namespacesUnavailable();
  if (unavailable) throw new Error(`the cluster bench needs Linux network namespaces: ${unavailable}`);
  const id = randomUUID().slice(0, 8);
  const etlDataset = `bench-cluster-etl-${id}`;
  const scoredDataset = `bench-cluster-${id}`;
  const local = mkdtempSync(join(tmpdir(), 'lake-bench-cluster-'));
  const cluster = await LocalCluster.up({
    workers: 3,
    dir: join(local, 'cluster'),
    base: loadConfig({ home: root }),
    lakeBin: join(root, 'cli', 'bin', 'lake.js'),
    serve: false,
    // Only the scored dataset is predicted: the ETL batches must not share their hosts' cores with scoring.
    serviceConfig: { predictor: { datasets: [scoredDataset] } },
    ownedByThisProcess: true,
    log: (line) => log(`   [cluster] ${line}`),
  });
  const config = cluster.clientConfig;
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: '/lake',
  });
  const producer = createProducer({
    brokers: config.kafka.brokers,
    codec: createRegistryCodec({ url: config.registry.url }),
  });
  const rawProducer = createProducer({ brokers: config.kafka.brokers });
  const lake: Lake = { cluster, config, hdfs, paths: new LakePaths('/lake'), producer, rawProducer, local };
  const serving: string[] = [];
  const serveOn = async (hosts: number) => {
    const names = cluster.workers.slice(0, hosts).map((h) => h.name);
    await Promise.all(names.map((n) => cluster.serve(n, { concurrency: TOTAL / hosts })));
    serving.push(...names);
    const by = Date.now() + 180_000;
    for (;;) {
      const g = await groupMembers(config, GROUPS);
      if (g.stable && GROUPS.every((name) => g.members[name] === TOTAL)) return names;
      if (Date.now() > by)
        throw new Error(`groups not settled with ${TOTAL} members each: ${JSON.stringify(g)}`);
      await sleep(300);
    }
  };
  const stopServing = async () => {
    await Promise.all(serving.splice(0).map((n) => cluster.stopServe(n)));
  };
  try {
    await producer.connect();
    await rawProducer.connect();
    // Cleaned once, before any model exists: the training batch and one batch to score per configuration.
    const prepared = Date.now();
    await serveOn(3);
    await publish(lake, {
      dataset: scoredDataset,
      batch: 'train',
      partitions: sizes.train[0]!,
      rowsPerPartition: sizes.train[1]!,
    });
    for (const n of HOST_COUNTS)
      await publish(lake, {
        dataset: scoredDataset,
        batch: `p${n}`,
        partitions: sizes.predict[0]!,
        rowsPerPartition: sizes.predict[1]!,
      });
    for (const batch of ['train', ...HOST_COUNTS.map((n) => `p${n}`)])
      await cleaned(lake, scoredDataset, batch, 900_000);
    await stopServing();
    log(`prepared the clean batches in ${((Date.now() - prepared) / 1000).toFixed(1)} s`);

    const rounds: Round[] = [];
    for (const n of HOST_COUNTS) {
      const hosts = await serveOn(n);
      const loadBefore = loadavg()[0]!;
      const etl = await etlRound(lake, {
        dataset: etlDataset,
        batch: `e${n}`,
        partitions: sizes.etl[0]!,
        rowsPerPartition: sizes.etl[1]!,
        hosts,
      });
      const trials = await trainRound(lake, {
        dataset: scoredDataset,
        batch: 'train',
        model: MODEL,
        job: `bench-cluster-${id}-${n}`,
        grid,
        cv: 3,
        hosts,
      });
      const production = await new ModelRegistry(hdfs, lake.paths).resolve({
        name: MODEL,
        alias: PRODUCTION,
      });
      const predict = await predictRound(lake, {
        dataset: scoredDataset,
        batch: `p${n}`,
        partitions: sizes.predict[0]!,
        model: MODEL,
        version: production.version,
        hosts,
      });
      const r: Round = {
        hosts: n,
        concurrencyPerHost: TOTAL / n,
        etl,
        trials,
        predict,
        loadBefore,
        loadAfter: loadavg()[0]!,
      };
      log(
        `${n} host(s) × ${TOTAL / n}: ETL ${etl.rowsPerSecond} rows/s (${etl.wallSeconds.toFixed(1)} s, partitions ${JSON.stringify(etl.partitionsShare.byHost)}), ` +
          `trials ${trials.trialsPerSecond.toFixed(2)}/s (${JSON.stringify(trials.trialsShare.byHost)}), ` +
          `prediction ${predict.rowsPerSecond} rows/s (${predict.wallSeconds.toFixed(1)} s, ${JSON.stringify(predict.partitionsShare.byHost)}); load ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)}`,
      );
      rounds.push(r);
      await stopServing();
    }
    const cores = availableParallelism();
    const base = rounds[0]!;
    const efficiency = (pick: (r: Round) => number) => rounds.map((r) => round(pick(r) / pick(base)));
    const results = {
      quick,
      note: 'one run per configuration on a shared machine: compare the configurations of this run, and read the load columns',
      cores,
      totalConsumersPerService: TOTAL,
      replication: cluster.state.replication,
      sizes: { etl: sizes.etl, predict: sizes.predict, train: sizes.train, grid },
      rounds: rounds.map((r) => ({
        ...r,
        perCore: {
          etlRowsPerSecond: Math.round(r.etl.rowsPerSecond / cores),
          trialsPerSecond: round(r.trials.trialsPerSecond / cores),
          predictRowsPerSecond: Math.round(r.predict.rowsPerSecond / cores),
        },
      })),
      /** Throughput of 1, 2, 3 hosts ÷ throughput of 1 host, at the same cores: 1.0 is no overhead. */
      efficiency: {
        etl: efficiency((r) => r.etl.rowsPerSecond),
        trials: efficiency((r) => r.trials.trialsPerSecond),
        predict: efficiency((r) => r.predict.rowsPerSecond),
      },
    };
    log(
      `cluster: efficiency vs 1 host ETL ${results.efficiency.etl.join(' / ')}, trials ${results.efficiency.trials.join(' / ')}, prediction ${results.efficiency.predict.join(' / ')}`,
    );
    log(`results: ${writeResult(quick ? 'cluster-quick' : 'cluster', results)}`);
    return results;
  } catch (error) {
    // The cluster's folder goes with it: its hosts' logs are the only clue.
    for (const h of cluster.workers) {
      const file = join(cluster.logDir(h.name).serve, 'serve.log');
      log(`--- ${h.name} ${file}\n${tailFile(file, 40)}`);
    }
    throw error;
  } finally {
    await stopServing().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await rawProducer.disconnect().catch(() => undefined);
    hdfs.close();
    await cluster.down();
    rmSync(local, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runClusterBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
