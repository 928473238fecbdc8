import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startEtlService } from '@lakestream/etl';
import { ModelRegistry } from '@lakestream/models';
import { publishSynthetic } from '@lakestream/publish';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { startTrainerService } from '@lakestream/trainer';
import { eventually, lake, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';
import { removeModelAndJobs } from './cleanup';

// The study's generator draws salary independently of age: no model can beat the mean.
const run = promisify(execFile);
const config = { ...stackConfig(), workers: { concurrency: 2 } };
const clients = lake(config);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
const dataset = uniqueName('trainnoise');
const model = uniqueName('n');
let services: { close(): Promise<void>; url: string }[] = [];

before(async () => {
  services = await Promise.all([
    startEtlService({ config, port: 0, shutdownHooks: false }),
    startTrainerService({ config, port: 0, shutdownHooks: false }),
  ]);
  const producer = await clients.producer();
  await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    { dataset, batch: 'b1', rows: 20_000, partitions: 1, seed: 42, profile: 'study', workers: 1 },
  );
  await eventually('the clean batch', 60_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, 'b1')}/_SUCCESS`)) ? true : undefined,
  );
});
after(async () => {
  await Promise.all(services.map((s) => s.close()));
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await removeModelAndJobs(clients, model, model);
  await clients.close();
});

test("on the study's data (salary independent of age) the model is published with a no-signal warning", async () => {
  const space = join(tempDir('lake-nosignal-'), 'space.json');
  writeFileSync(space, JSON.stringify({ n_estimators: [10], max_depth: [3] }));
  const cli = join(repoRoot(), 'cli', 'bin', 'lake.js');
  const { stdout } = await run(
    process.execPath,
    [cli, 'train', '--dataset', dataset, '--space', space, '--cv', '2', '--name', model, '--json'],
    { timeout: 60_000 },
  );
  const out = JSON.parse(stdout) as { testR2: number; noSignal: string | null; noiseVariance: number | null };
  assert.ok(Math.abs(out.testR2) < 0.02, `R² ${out.testR2}`);
  assert.match(out.noSignal ?? '', /no signal/);
  assert.equal(out.noiseVariance, null, 'the study profile does not state a noise variance');
  const meta = (await registry.readMetadata(model, 1))!;
  assert.match(meta.noSignal?.warning ?? '', /does not beat predicting the mean/);
  const log = Buffer.from(
    await clients.hdfs.readFile(`${registry.versionDir(model, 1)}/ml_pipeline.log`),
  ).toString();
  assert.match(log, / - WARNING - no signal/);
  const listing = (await run(process.execPath, [cli, 'models', model])).stdout;
  assert.match(listing, /no signal/);

  // The same through HTTP: POST /trainer/jobs, then GET /trainer/jobs/<job> until it ends.
  const url = services[1]!.url;
  const posted = await fetch(`${url}/trainer/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      dataset,
      batches: ['b1'],
      model,
      job: `${model}-http`,
      search: 'random',
      space: { n_estimators: { type: 'int', low: 3, high: 6 }, max_depth: [2, 3] },
      maxTrials: 2,
      cvFolds: 2,
    }),
  });
  assert.equal(posted.status, 202);
  const status = await eventually('the HTTP job', 60_000, async () => {
    const res = await fetch(`${url}/trainer/jobs/${model}-http`);
    if (res.status === 404) return undefined;
    const body = (await res.json()) as {
      results: number;
      expected: number;
      outcome: { status: string; version: number } | null;
    };
    return body.outcome ? body : undefined;
  });
  assert.deepEqual(
    [status.outcome!.status, status.outcome!.version, status.results, status.expected],
    ['published', 2, 4, 4],
  );
  assert.match((await registry.readMetadata(model, 2))!.noSignal?.warning ?? '', /no signal/);
});
