import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { startEtlService } from '@lakestream/etl';
import { ModelRegistry } from '@lakestream/models';
import { publishSynthetic } from '@lakestream/publish';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { startTrainerService } from '@lakestream/trainer';
import { eventually, lake, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';
import { removeModelAndJobs } from './cleanup';

const run = promisify(execFile);
const config = { ...stackConfig(), workers: { concurrency: 2 } };
const clients = lake(config);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
const dataset = uniqueName('traincli');
const model = uniqueName('m');
let services: { close(): Promise<void> }[] = [];

const lakeCli = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [join(repoRoot(), 'cli', 'bin', 'lake.js'), ...args], { timeout: 60_000 }))
    .stdout;

before(async () => {
  services = await Promise.all([
    startEtlService({ config, port: 0, shutdownHooks: false }),
    startTrainerService({ config, port: 0, shutdownHooks: false }),
  ]);
  const producer = await clients.producer();
  await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    { dataset, batch: 'b1', rows: 20_000, partitions: 1, seed: 3, referenceDate: '2026-06-01', workers: 1 },
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

interface TrainJson {
  model: string;
  version: number;
  features: string[];
  bestParams: Record<string, unknown>;
  testMse: number;
  trials: number;
  seconds: number;
  search: string;
  leaderboard: { rung: number }[];
}

test('lake train --json (grid, then successive halving), lake models and lake models promote', async () => {
  const dir = tempDir('lake-train-cli-');
  const grid = join(dir, 'grid.json');
  writeFileSync(grid, JSON.stringify({ n_estimators: [5], max_depth: [2, 6] }));
  const common = [
    '--dataset',
    dataset,
    '--features',
    'age,is_active',
    '--cv',
    '2',
    '--name',
    model,
    '--json',
  ];
  const text = await lakeCli('train', ...common.filter((a) => a !== '--json'), '--space', grid, '--wait');
  assert.match(text, /Leaderboard — .+ v1 \(grid search, 2-fold CV\)/);
  assert.match(text, /best parameters: \{"n_estimators":5,"max_depth":6\}/);
  assert.match(text, /test MSE \d+\.\d+ {2}RMSE/);

  const space = join(dir, 'space.json');
  writeFileSync(space, JSON.stringify({ nEstimators: { type: 'int', low: 3, high: 8 }, maxDepth: [2, 6] }));
  const second = JSON.parse(
    await lakeCli(
      'train',
      ...common,
      '--space',
      space,
      '--search',
      'halving',
      '--max-trials',
      '4',
      '--seed',
      '5',
    ),
  ) as TrainJson;
  assert.equal(second.version, 2);
  assert.equal(second.search, 'halving');
  assert.equal(second.trials, 5, '4 candidates on a third of the rows, then the best on all of them');
  assert.equal(second.leaderboard[0]!.rung, 1);

  const listed = JSON.parse(await lakeCli('models', model, '--json')) as {
    models: { version: number; aliases: string[]; testMse: number }[];
  };
  assert.deepEqual(
    listed.models.map((m) => [m.version, m.aliases]),
    [
      [1, ['production']],
      [2, ['candidate']],
    ],
  );
  assert.ok(listed.models[0]!.testMse > 0);
  assert.ok(second.testMse > 0 && second.seconds > 0);
  assert.deepEqual(second.features, ['age', 'is_active']);
  assert.equal(second.model, model);

  const promoted = JSON.parse(await lakeCli('models', 'promote', `${model}@2`, 'production', '--json')) as {
    previous: number;
  };
  assert.equal(promoted.previous, 1);
  assert.deepEqual(await registry.aliases(model), { production: 2, candidate: 2 });
  assert.match(await lakeCli('models', model), /test MSE/);

  // A batch that was never cleaned: the coordinator ends the job at once, saying why.
  await assert.rejects(
    lakeCli('train', ...common, '--batches', 'nope', '--space', grid),
    (error: Error & { stderr?: string }) => {
      assert.match(error.stderr ?? '', /failed: .*batch .+\/nope has no complete clean data/);
      return true;
    },
  );
});
