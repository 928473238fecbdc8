import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jobKey, TOPICS, type TrainingJob } from '@lakestream/contracts';
import { startEtlService } from '@lakestream/etl';
import { ModelRegistry } from '@lakestream/models';
import { publishSynthetic } from '@lakestream/publish';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { startTrainerService } from '@lakestream/trainer';
import { JobStore } from '@lakestream/training';
import { eventually, lake, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';
import { removeModelAndJobs } from './cleanup';

const config = { ...stackConfig(), workers: { concurrency: 1 } };
const clients = lake(config);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
const store = new JobStore(clients.hdfs, clients.paths);
const dataset = uniqueName('trainkill');
const jobId = uniqueName('killjob');
const model = uniqueName('k');
const closers: (() => Promise<unknown>)[] = [];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** `lake serve trainer` as its own process, ready when its health check says so. */
async function trainerProcess(): Promise<ChildProcess> {
  const port = await freePort();
  const file = join(tempDir(), 'lake.config.json');
  writeFileSync(file, JSON.stringify({ http: { ports: { trainer: port } } }));
  const child = spawn(
    process.execPath,
    [join(repoRoot(), 'cli', 'bin', 'lake.js'), 'serve', 'trainer', '--concurrency', '1', '--config', file],
    { stdio: 'ignore' },
  );
  closers.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  await eventually('the trainer process ready', 60_000, async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  });
  return child;
}

before(async () => {
  const etl = await startEtlService({ config, port: 0, shutdownHooks: false });
  closers.push(() => etl.close());
  const producer = await clients.producer();
  await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    { dataset, batch: 'b1', rows: 30_000, partitions: 1, seed: 5, referenceDate: '2026-06-01', workers: 1 },
  );
  await eventually('the clean batch', 60_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, 'b1')}/_SUCCESS`)) ? true : undefined,
  );
});
after(async () => {
  for (const close of closers.reverse()) await close();
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await removeModelAndJobs(clients, model, jobId);
  await clients.close();
});

test('kill -9 of the trainer mid-search: another trainer redoes the lost trials and publishes exactly one version', async (t) => {
  const first = await trainerProcess();
  const job: TrainingJob = {
    job: jobId,
    dataset,
    batches: ['b1'],
    features: ['age', 'is_active'],
    target: 'salary',
    search: 'grid',
    space: JSON.stringify({ nEstimators: [300], maxDepth: [null], minSamplesSplit: [2, 5] }),
    cvFolds: 3,
    testFraction: 0.2,
    seed: 1,
    maxTrials: null,
    scoring: 'mse',
    model,
    requestedAt: Date.now(),
    requestedBy: 'test',
  };
  const producer = await clients.producer();
  await producer.send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
  const atKill = await eventually('the first results', 60_000, async () => {
    const n = (await store.results(job.job)).length;
    return n >= 1 ? n : undefined;
  });
  first.kill('SIGKILL');
  await once(first, 'exit');
  assert.ok(atKill < 6, `the search was still running when the trainer died (${atKill}/6)`);

  const second = await startTrainerService({ config, port: 0, shutdownHooks: false });
  closers.push(() => second.close());
  const outcome = await eventually('the job outcome', 90_000, () => store.outcome(job.job));
  assert.equal(outcome.status, 'published', outcome.error ?? '');
  const results = await store.results(job.job);
  assert.equal(results.length, 6, 'every trial × fold recorded once');
  assert.deepEqual(await registry.versions(model), [1]);
  const meta = (await registry.readMetadata(model, 1))!;
  assert.equal(meta.trials.length, 2);
  assert.ok(meta.trials.every((x) => x.cvMse !== null && x.foldMse.length === 3));
  const workers = new Set(results.map((r) => r.worker.replace(/\/\d+$/, '')));
  assert.ok(workers.size >= 2, `results came from both trainers: ${[...workers].join(', ')}`);
  t.diagnostic(
    `trainer kill: ${atKill}/6 results before kill -9; ${results.length - atKill} after, workers ${[...workers].join(', ')}`,
  );
});
