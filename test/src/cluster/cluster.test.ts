import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LakeConfig } from '@lakestream/config';
import { TOPICS } from '@lakestream/contracts';
import { sleep } from '@lakestream/core';
import { dataNodes, isAlive, LocalCluster, namespacesUnavailable } from '@lakestream/stack';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { eventually, lake, uniqueName } from '../etl/pipeline';
import { readTopic } from '../faults/harness';
import { checkInvariants, checkPredictionInvariants, tmpLeftovers } from '../faults/invariants';
import { backdate, HOUR } from '../faults/staging';
import { stackConfig } from '../stack/config';
import {
  blockHosts,
  clusterLogTails,
  groupByHost,
  partialSignatures,
  partitionsByHost,
  publishBatch,
  readVerified,
  trainOnCluster,
} from './helpers';

// Scale-out across hosts: an infrastructure host and two worker hosts as network namespaces
// on this machine, each worker a DataNode (replication 2) and `lake serve etl trainer
// predictor`. One cluster for the whole file: a batch shared by the hosts, a host lost
// mid-batch and brought back, a worker cut off from everyone for 30 s mid-batch.
const unavailable = namespacesUnavailable();
const skip = unavailable ? `needs Linux network namespaces: ${unavailable}` : false;

const MODEL = 'salary';
const dataset = uniqueName('cluster');
const since = Date.now();
let cluster: LocalCluster | undefined;
let config: LakeConfig;
let clients: ReturnType<typeof lake>;
let failed = false;
let modelVersion = 0;
const timings: Record<string, number> = {};

/** A scenario step: timed, and on failure the end of every host's logs goes to stderr. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } catch (error) {
    failed = true;
    if (cluster) console.error(`cluster logs after "${name}" failed:\n${clusterLogTails(cluster)}`);
    throw error;
  } finally {
    timings[name] = (Date.now() - started) / 1000;
  }
}

const c = (): LocalCluster => {
  assert.ok(cluster, 'the cluster is up');
  return cluster;
};
const address = (name: string) => c().host(name).address;
const partialsDir = (batch: string) => `${clients.paths.reports(dataset, batch)}/_partials`;
const predictionsDir = (batch: string) => clients.paths.predictions(dataset, MODEL, modelVersion, batch);
const count = (byHost: Record<string, number[]>) => Object.values(byHost).reduce((s, l) => s + l.length, 0);

/** Both worker hosts have consumers holding partitions in each group. */
async function bothHostsConsume(groups: string[], timeoutMs = 120_000): Promise<void> {
  for (const group of groups)
    await eventually(`both hosts consuming in ${group}`, timeoutMs, async () => {
      const g = await groupByHost(config, group);
      return g.state === 'Stable' &&
        [address('w1'), address('w2')].every((a) => (g.hosts[a]?.partitions ?? 0) > 0)
        ? true
        : undefined;
    });
}

/** Publishes a batch and waits until `w2` has finished a partition of it and at least `done` are finished in all. */
async function publishAndWaitForProgress(
  batch: string,
  partitions: number,
  rowsPerPartition: number,
  done: number,
) {
  await publishBatch(config, clients, { dataset, batch, partitions, rowsPerPartition });
  return eventually(`${batch} under way on both hosts`, 120_000, async () => {
    const byHost = await partitionsByHost(c(), clients, partialsDir(batch));
    return count(byHost) >= done && (byHost.w2?.length ?? 0) >= 1 ? byHost : undefined;
  });
}

/** Staging folders present now and still present 15 s on: what a lost writer left, aged so the sweeper takes them. */
async function ageAbandonedStaging(): Promise<string[]> {
  const first = new Set(await tmpLeftovers(clients, since));
  const abandoned = (await tmpLeftovers(clients, since)).filter((n) => first.has(n));
  for (const name of abandoned) await backdate(clients.hdfs, `${clients.paths.tmp()}/${name}`, 2 * HOUR);
  return abandoned;
}

after(async () => {
  await clients?.close().catch(() => undefined);
  if (cluster) {
    if (failed) console.error(`cluster logs at the end:\n${clusterLogTails(cluster)}`);
    await cluster.down();
  }
});

test(
  'an infrastructure host and two worker hosts in network namespaces, each bound to its own address only',
  { skip },
  async (t) => {
    cluster = await step('up', () =>
      LocalCluster.up({
        workers: 2,
        concurrency: 1,
        dir: join(tempDir('lake-cluster-'), 'cluster'),
        base: stackConfig(),
        lakeBin: join(repoRoot(), 'cli', 'bin', 'lake.js'),
        // A lost host's staging folders are swept by the survivors within seconds once aged.
        serviceConfig: { hdfs: { staging: { sweepIntervalMs: 2000 } } },
        ownedByThisProcess: true,
        log: (line) => {
          if (process.env.LAKE_CLUSTER_VERBOSE) console.error(`   [cluster] ${line}`);
        },
      }),
    );
    config = c().clientConfig;
    clients = lake(config);
    await step('up checks', async () => {
      const { plan } = c().state;
      assert.equal(plan.hosts.length, 3);
      assert.ok(plan.subnet.startsWith('10.213.'), 'a private range the cluster made');
      // Every socket listens on its host's own address (or that namespace's own loopback): nothing on
      // 0.0.0.0 or ::, and nothing in this namespace, where the main stack runs.
      for (const [name, sockets] of Object.entries(c().listening())) {
        assert.ok(sockets.length > 0, `${name} listens`);
        for (const s of sockets) {
          const at = s.replace(/^\[(?:::ffff:)?([^\]]+)\]/, '$1').replace(/:\d+$/, '');
          assert.ok(at === address(name) || at.startsWith('127.'), `${name} listens on ${s}`);
        }
      }
      assert.deepEqual((await c().liveDataNodes()).sort(), [address('w1'), address('w2')].sort());
      // Services bound beyond loopback want the API token (health stays open).
      const etl = `http://${address('w1')}:${config.http.ports.etl}`;
      assert.equal((await fetch(`${etl}/health/ready`)).status, 200);
      assert.equal((await fetch(`${etl}/metrics`)).status, 401);
      const authorized = await fetch(`${etl}/metrics`, {
        headers: { authorization: `Bearer ${c().state.apiToken}` },
      });
      assert.equal(authorized.status, 200);
      await bothHostsConsume(['lake-etl', 'lake-predictor', 'lake-trainer-trials']);
    });
    t.diagnostic(`cluster: ${JSON.stringify({ subnet: c().state.plan.subnet, upSeconds: timings.up })}`);
  },
);

test(
  'a batch is shared by the worker hosts, every block on both DataNodes; a search runs on both',
  { skip },
  async (t) => {
    const byHost = await step('batch b1', async () => {
      await publishBatch(config, clients, { dataset, batch: 'b1', partitions: 8, rowsPerPartition: 50_000 });
      await checkInvariants(config, clients, { dataset, batch: 'b1', since });
      return partitionsByHost(c(), clients, partialsDir('b1'));
    });
    assert.ok(
      (byHost.w1?.length ?? 0) > 0 && (byHost.w2?.length ?? 0) > 0,
      `both hosts cleaned: ${JSON.stringify(byHost)}`,
    );
    for (let p = 0; p < 8; p++)
      assert.deepEqual(
        await blockHosts(config, clients.paths.cleanPartition(dataset, 'b1', p)),
        [[address('w1'), address('w2')].sort()],
        `clean partition ${p}: its block on both DataNodes`,
      );
    const job = uniqueName('cluster-job');
    const trained = await step('train', () =>
      trainOnCluster(c(), { dataset, batch: 'b1', model: MODEL, job }),
    );
    modelVersion = trained.version;
    const results = await readTopic(config, TOPICS.trainingResults.name, `${job}/`);
    const trialHosts: Record<string, number> = {};
    for (const r of results) {
      const host = c().hostOfWorker((r.value as { worker: string }).worker) ?? 'unknown';
      trialHosts[host] = (trialHosts[host] ?? 0) + 1;
    }
    assert.ok(!trialHosts.unknown, `every trial ran on a worker host: ${JSON.stringify(trialHosts)}`);
    t.diagnostic(
      `cluster: ${JSON.stringify({ scenario: 'shared batch', etlPartitionsByHost: byHost, trialResultsByHost: trialHosts, model: `${MODEL}@v${modelVersion}`, seconds: { etl: timings['batch b1'], train: timings.train } })}`,
    );
  },
);

test(
  'losing a worker host mid-batch (processes killed, link cut) loses nothing: the survivor redoes its partitions from the surviving DataNode',
  { skip },
  async (t) => {
    const P = 12;
    await step('b2 under way', () => publishAndWaitForProgress('b2', P, 60_000, 3));
    const killed = await step('lose w2', () => c().loseHost('w2'));
    assert.equal(c().pids('w2').length, 0, 'nothing runs on w2');

    // Once the NameNode has not heard from w2 for 4 s it sends readers to the other copy. (A client
    // holding a keep-alive connection to the vanished DataNode would first wait out its 60 s
    // request timeout once.)
    await step('w2 stale', () =>
      eventually('the NameNode to stop hearing from w2', 30_000, async () => {
        const w2 = (await dataNodes(config.hdfs.namenodeUrl)).find((d) => d.address === address('w2'));
        return !w2 || w2.lastContactSeconds > 4 ? true : undefined;
      }),
    );
    // What w2 finished before it died (nothing of it can change now).
    const atLoss = await partitionsByHost(c(), clients, partialsDir('b2'));
    const doneAtLoss = count(atLoss);
    assert.ok(doneAtLoss < P, `the batch was not finished when w2 was lost (${doneAtLoss}/${P})`);
    const readMs: number[] = [];
    await step('reads from the surviving DataNode', async () => {
      // Written while both DataNodes lived: each block has a copy on w2, which is gone.
      for (let p = 0; p < 8; p++) {
        const started = Date.now();
        const partial = await clients.readJson<{ clean: { checksum: string } }>(
          clients.paths.partial(dataset, 'b1', p),
        );
        assert.ok(partial);
        await readVerified(clients, clients.paths.cleanPartition(dataset, 'b1', p), partial.clean.checksum);
        readMs.push(Date.now() - started);
      }
    });
    await step('rebalance', () =>
      eventually('lake-etl rebalanced onto w1 alone', 120_000, async () => {
        const g = await groupByHost(config, 'lake-etl');
        return g.state === 'Stable' && !g.hosts[address('w2')] && g.hosts[address('w1')]?.partitions === 12
          ? true
          : undefined;
      }),
    );
    const abandoned = await step('staging of w2', () => ageAbandonedStaging());
    const etl = await step('b2 invariants', () =>
      checkInvariants(config, clients, { dataset, batch: 'b2', since, abandonedStaging: abandoned }),
    );
    const predictions = await step('b2 prediction invariants', () =>
      checkPredictionInvariants(config, clients, {
        dataset,
        batch: 'b2',
        model: MODEL,
        version: modelVersion,
      }),
    );
    const byHost = await partitionsByHost(c(), clients, partialsDir('b2'));
    assert.equal((byHost.w2 ?? []).length, (atLoss.w2 ?? []).length, 'w2 finished nothing after it was lost');
    assert.equal(etl.lost.partitions + etl.lost.rows + etl.duplicated, 0);
    assert.equal(predictions.lost.partitions + predictions.lost.rows + predictions.duplicated, 0);
    t.diagnostic(
      `cluster: ${JSON.stringify({ scenario: 'host lost', inFlight: P - doneAtLoss, doneAtLoss, killedProcesses: killed.length, abandonedStaging: abandoned.length, etlPartitionsByHost: byHost, predictedByHost: await partitionsByHost(c(), clients, `${predictionsDir('b2')}/_partials`), etl: { lost: etl.lost, duplicated: etl.duplicated }, predictions: { lost: predictions.lost, duplicated: predictions.duplicated }, readMs, seconds: { stale: timings['w2 stale'], rebalance: timings.rebalance, invariants: timings['b2 invariants'] } })}`,
    );
  },
);

test(
  'the lost host brought back rejoins cleanly: its DataNode and consumers return and take their share',
  { skip },
  async (t) => {
    await step('restore w2', () => c().restoreHost('w2'));
    await step('w2 rejoins', () => bothHostsConsume(['lake-etl', 'lake-predictor']));
    assert.deepEqual((await c().liveDataNodes()).sort(), [address('w1'), address('w2')].sort());
    await step('batch b3', async () => {
      await publishBatch(config, clients, { dataset, batch: 'b3', partitions: 8, rowsPerPartition: 50_000 });
      await checkInvariants(config, clients, { dataset, batch: 'b3', since });
      await checkPredictionInvariants(config, clients, {
        dataset,
        batch: 'b3',
        model: MODEL,
        version: modelVersion,
      });
    });
    const byHost = await partitionsByHost(c(), clients, partialsDir('b3'));
    assert.ok(
      (byHost.w1?.length ?? 0) > 0 && (byHost.w2?.length ?? 0) > 0,
      `both hosts cleaned b3: ${JSON.stringify(byHost)}`,
    );
    t.diagnostic(
      `cluster: ${JSON.stringify({ scenario: 'host back', etlPartitionsByHost: byHost, seconds: { restore: timings['restore w2'], rejoin: timings['w2 rejoins'], batch: timings['batch b3'] } })}`,
    );
  },
);

test(
  'a worker host cut off from the infrastructure for 30 s mid-batch: no duplicate, nothing lost, it resumes when the link returns',
  { skip },
  async (t) => {
    const P = 12;
    const atCut = await step('b4 under way', () => publishAndWaitForProgress('b4', P, 60_000, 3));
    const servePid = c()
      .state.serves.filter((s) => s.host === 'w2')
      .at(-1)!.pid;
    c().cutLink('w2');
    const cutAt = Date.now();
    await sleep(30_000);
    c().restoreLink('w2');
    const cutSeconds = (Date.now() - cutAt) / 1000;
    const atReturn = await partitionsByHost(c(), clients, partialsDir('b4'));
    const signaturesAtReturn = await partialSignatures(clients, partialsDir('b4'));
    assert.ok(isAlive(servePid), "w2's lake serve lived through the partition");
    // No process was lost: whatever w2 staged while cut off, w2 itself renames or removes.
    const etl = await step('b4 invariants', () =>
      checkInvariants(config, clients, { dataset, batch: 'b4', since }),
    );
    const predictions = await step('b4 prediction invariants', () =>
      checkPredictionInvariants(config, clients, {
        dataset,
        batch: 'b4',
        model: MODEL,
        version: modelVersion,
      }),
    );
    assert.equal(etl.lost.partitions + etl.lost.rows + etl.duplicated, 0);
    assert.equal(predictions.lost.partitions + predictions.lost.rows + predictions.duplicated, 0);
    const signatures = await partialSignatures(clients, partialsDir('b4'));
    for (const [p, signature] of Object.entries(signaturesAtReturn))
      assert.equal(signatures[Number(p)], signature, `partial ${p} was written once and never replaced`);
    // Work resumes on w2: its consumers are back in the groups and clean a share of the next batch.
    await step('w2 resumes', () => bothHostsConsume(['lake-etl', 'lake-predictor']));
    await step('batch b5', async () => {
      await publishBatch(config, clients, { dataset, batch: 'b5', partitions: 4, rowsPerPartition: 50_000 });
      await checkInvariants(config, clients, { dataset, batch: 'b5', since });
    });
    const b5 = await partitionsByHost(c(), clients, partialsDir('b5'));
    assert.ok((b5.w2?.length ?? 0) > 0, `w2 cleaned part of b5: ${JSON.stringify(b5)}`);
    t.diagnostic(
      `cluster: ${JSON.stringify({ scenario: 'partition 30 s', cutSeconds, inFlight: P - count(atCut), doneAtCut: count(atCut), atCut, atReturn, after: await partitionsByHost(c(), clients, partialsDir('b4')), etl: { lost: etl.lost, duplicated: etl.duplicated }, predictions: { lost: predictions.lost, duplicated: predictions.duplicated }, b5, seconds: { invariants: timings['b4 invariants'], resume: timings['w2 resumes'] } })}`,
    );
  },
);

test('torn down completely: no namespace, link, process or claim left', { skip }, async (t) => {
  const state = c().state;
  const pids = state.plan.hosts.flatMap((h) => c().pids(h.name));
  const left = await step('down', () => c().down());
  cluster = undefined;
  assert.deepEqual(left, []);
  for (const pid of pids) assert.ok(!isAlive(pid), `process ${pid} is gone`);
  assert.ok(!existsSync(state.claim) && !existsSync(state.dir), 'claim and data removed');
  t.diagnostic(`cluster: ${JSON.stringify({ seconds: timings })}`);
});
