import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ModelRegistry, PRODUCTION } from '@lakestream/models';
import { loadTrainingData } from '@lakestream/training';
import { eventually, uniqueName } from '../etl/pipeline';
import { publishModel } from '../predictor/publish-model';
import { removeModelAndJobs } from '../trainer/cleanup';
import { scenario } from './common';
import { EtlProcess, ServiceProcess } from './harness';
import { checkInvariants, checkPredictionInvariants, tmpLeftovers } from './invariants';
import { backdate, HOUR } from './staging';

// Scenario 1 for the predictor: kill -9 it mid-batch, then restart it.
const s = scenario('fault-kill-predict');
const model = uniqueName('fkp');
const registry = new ModelRegistry(s.clients.hdfs, s.clients.paths);
const processes: ServiceProcess[] = [];
const predictorConfig = (extra: Record<string, unknown> = {}) => ({
  predictor: { model, alias: PRODUCTION, group: 'lake-predictor', datasets: [s.dataset] },
  ...extra,
});

after(async () => {
  for (const p of processes) await p.stop();
  await removeModelAndJobs(s.clients, model, 'none');
  await s.cleanup();
});

async function predictedPartitions(dir: string): Promise<number> {
  return (await s.clients.hdfs.list(`${dir}/_partials`).catch(() => [])).length;
}

test('kill -9 of the predictor mid-batch, then a restart: every partition predicted once, one record each, _tmp swept', async (t) => {
  const { config, clients, dataset } = s;
  // A model first, trained on a small batch of the same data, so the next batch is scored as it arrives.
  const etl = await EtlProcess.create(config);
  processes.push(etl);
  await etl.start();
  await s.publish('b0', 2, 5000);
  await eventually('b0 cleaned', 90_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, 'b0')}/_SUCCESS`)) ? true : undefined,
  );
  const data = await loadTrainingData(clients.hdfs, clients.paths, {
    job: 'fault-test',
    dataset,
    batches: ['b0'],
    features: ['age'],
    target: 'salary',
  });
  const version = await publishModel(
    registry,
    model,
    { ...data, features: ['age'], target: 'salary' },
    { nEstimators: 20, maxDepth: 8, seed: 5 },
  );
  await registry.promote(model, version, PRODUCTION);

  const first = await ServiceProcess.of('predictor', config, { config: predictorConfig() });
  processes.push(first);
  await first.start();
  const published = await s.publish('b1', 30, 20_000);
  const P = published.partitions;
  const dir = clients.paths.predictions(dataset, model, version, 'b1');
  const doneAtKill = await eventually('the first partitions predicted', 120_000, async () => {
    const n = await predictedPartitions(dir);
    return n >= 3 ? n : undefined;
  });
  await first.kill9();
  const afterKill = await predictedPartitions(dir);
  assert.ok(afterKill < P, `the batch was not finished when the predictor died (${afterKill}/${P})`);

  // Whatever the killed process staged and never renamed, aged past the sweeper's limit.
  const abandoned = await tmpLeftovers(clients, s.since);
  for (const name of abandoned) await backdate(clients.hdfs, `${clients.paths.tmp()}/${name}`, 2 * HOUR);

  const second = await ServiceProcess.of('predictor', config, {
    config: predictorConfig({ hdfs: { staging: { sweepIntervalMs: 2000 } } }),
  });
  processes.push(second);
  await second.start();
  const etlResult = await checkInvariants(config, clients, { dataset, batch: 'b1', since: s.since });
  const result = await checkPredictionInvariants(config, clients, { dataset, batch: 'b1', model, version });
  await eventually('abandoned staging folders swept', 60_000, async () => {
    const left = (await tmpLeftovers(clients, s.since, abandoned)).filter((n) => abandoned.includes(n));
    return left.length === 0 ? true : undefined;
  });
  assert.equal(result.lost.partitions + result.lost.rows + result.duplicated, 0);
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'kill -9 predictor', inFlight: P - doneAtKill, doneAtKill, abandonedStaging: abandoned.length, etl: etlResult.lost, ...result })}`,
  );
});
