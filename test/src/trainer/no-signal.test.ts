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
let services: { close(): Promise<void> }[] = [];

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
});
