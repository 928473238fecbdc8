import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readParquetColumns } from '@lakestream/columnar';
import {
  createRegistryCodec,
  jobKey,
  type ModelPublished,
  TOPICS,
  type TrainingJob,
  type TrialResult,
  trialKey,
} from '@lakestream/contracts';
import { startEtlService } from '@lakestream/etl';
import { mse } from '@lakestream/forest';
import { ModelRegistry } from '@lakestream/models';
import { publishSynthetic } from '@lakestream/publish';
import { runPython, tempDir } from '@lakestream/testkit';
import { startTrainerService } from '@lakestream/trainer';
import { JobStore, loadTrainingData, takeRows, selectRows, foldsOf } from '@lakestream/training';
import { TEST_FOLD, assignFolds } from '@lakestream/tuning';
import { Kafka, logLevel } from 'kafkajs';
import { stackConfig } from '../stack/config';
import { removeModelAndJobs } from './cleanup';
import { eventually, lake, uniqueName } from '../etl/pipeline';

const config = { ...stackConfig(), workers: { concurrency: 2 } };
const clients = lake(config);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
const store = new JobStore(clients.hdfs, clients.paths);
const dataset = uniqueName('traintest');
const jobId = uniqueName('job');
const model = uniqueName('salary');
const batch = 'b1';
const seed = 42;
let etl: Awaited<ReturnType<typeof startEtlService>>;
let trainer: Awaited<ReturnType<typeof startTrainerService>>;

before(async () => {
  [etl, trainer] = await Promise.all([
    startEtlService({ config, port: 0, shutdownHooks: false }),
    startTrainerService({ config, port: 0, shutdownHooks: false }),
  ]);
});
after(async () => {
  await Promise.all([etl?.close(), trainer?.close()]);
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await removeModelAndJobs(clients, model, jobId);
  await clients.close();
});

// scikit-learn on the same clean rows (read here with pyarrow, missing values dropped) and the
// same folds (joined by id): GridSearchCV over the same grid with a PredefinedSplit, then the refit's test MSE.
const SKLEARN = `
import json, sys
import numpy as np, pyarrow.parquet as pq, pyarrow as pa
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import mean_squared_error
files, folds_file, grid, seed = json.loads(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
t = pa.concat_tables([pq.read_table(f, columns=['id', 'age', 'is_active', 'salary']) for f in files]).to_pandas().dropna()
fmap = json.load(open(folds_file))
fold = dict(zip(fmap['ids'], fmap['folds']))
t['fold'] = t['id'].map(fold)
train, test = t[t.fold != 255], t[t.fold == 255]
X = lambda d: np.column_stack([d.age.astype(float), d.is_active.astype(float)])
scaler = StandardScaler().fit(X(train))
search = GridSearchCV(RandomForestRegressor(random_state=seed), grid, cv=PredefinedSplit(train.fold.values), scoring='neg_mean_squared_error', refit=True)
search.fit(scaler.transform(X(train)), train.salary.values)
pred = search.best_estimator_.predict(scaler.transform(X(test)))
print(json.dumps(dict(best=search.best_params_, cv=[-s for s in search.cv_results_['mean_test_score']],
  params=[dict(p) for p in search.cv_results_['params']], testMse=mean_squared_error(test.salary.values, pred),
  trainRows=len(train), testRows=len(test))))
`;

async function modelsMessage(name: string, timeoutMs: number): Promise<ModelPublished> {
  const codec = createRegistryCodec({ url: config.registry.url });
  const kafka = new Kafka({
    clientId: 'lake-test-models',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: uniqueName('lake-test-models'), readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.models.name, fromBeginning: true });
  let found: ModelPublished | undefined;
  await consumer.run({
    eachMessage: async ({ message }) => {
      const v = (await codec.decode(message.value!, TOPICS.models.name)) as ModelPublished;
      if (v.name === name) found = v;
    },
  });
  try {
    return await eventually(`ModelPublished for ${name}`, timeoutMs, async () => found);
  } finally {
    await consumer.disconnect();
  }
}

test('a grid job is tuned by trial workers, refitted, published, and agrees with scikit-learn on the same rows and folds', async (t) => {
  const producer = await clients.producer();
  const published = await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    { dataset, batch, rows: 50_000, partitions: 2, seed: 7, referenceDate: '2026-06-01', workers: 1 },
  );
  assert.equal(published.outcome, 'published');
  await eventually('the clean batch', 60_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, batch)}/_SUCCESS`)) ? true : undefined,
  );

  const space = { nEstimators: [10], maxDepth: [1, 8] };
  const job: TrainingJob = {
    job: jobId,
    dataset,
    batches: [batch],
    features: ['age', 'is_active'],
    target: 'salary',
    search: 'grid',
    space: JSON.stringify(space),
    cvFolds: 2,
    testFraction: 0.2,
    seed,
    maxTrials: null,
    scoring: 'mse',
    model,
    requestedAt: Date.now(),
    requestedBy: 'test',
  };
  await producer.send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
  const outcome = await eventually('the job outcome', 60_000, () => store.outcome(job.job));
  assert.equal(outcome.status, 'published', outcome.error ?? '');
  assert.equal(outcome.version, 1);
  const status = await fetch(`${trainer.url}/trainer/jobs/${job.job}`);
  assert.equal(status.status, 200);
  assert.deepEqual(
    (({ results, expected, candidates, outcome }) => ({
      results,
      expected,
      candidates,
      status: outcome?.status,
    }))(
      (await status.json()) as {
        results: number;
        expected: number;
        candidates: number;
        outcome: { status: string } | null;
      },
    ),
    { results: 4, expected: 4, candidates: 2, status: 'published' },
  );
  const refused = await fetch(`${trainer.url}/trainer/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dataset, batches: [batch], space: { learning_rate: [0.1] } }),
  });
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { message: string }).message, /unknown parameter learning_rate/);
  const message = await modelsMessage(model, 30_000);
  assert.equal(message.version, 1);
  assert.equal(message.alias, 'production', 'the first version of a model becomes production');
  assert.deepEqual(message.features, ['age', 'is_active']);
  assert.equal(message.lineage.job, job.job);
  assert.equal(message.lineage.files.length, 2);
  assert.ok(message.lineage.files.every((f) => /^[0-9a-f]{64}$/.test(f.checksum)));

  const loaded = await registry.load(`${model}@production`);
  const meta = loaded.metadata;
  assert.equal(meta.trials.length, 2);
  assert.ok(meta.trials.every((t) => t.foldMse.length === 2 && t.cvMse !== null));
  assert.equal(meta.noSignal, null);
  assert.ok(meta.noiseVariance !== null);

  // The log reads like the study's ml_pipeline.log.
  const log = Buffer.from(
    await clients.hdfs.readFile(`${registry.versionDir(model, 1)}/ml_pipeline.log`),
  ).toString('utf8');
  assert.match(log, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - INFO - /);
  assert.match(log, /- INFO - Best parameters: \{"n_estimators":10,"max_depth":/);
  assert.match(log, /- INFO - Model Evaluation - Mean Squared Error: \d/);

  // The model as stored predicts the test split with the MSE its metadata claims.
  const data = await loadTrainingData(clients.hdfs, clients.paths, {
    job: job.job,
    dataset,
    batches: [batch],
    features: job.features,
    target: 'salary',
  });
  const folds = foldsOf(data, 2, 0.2, seed);
  const test = takeRows(
    data,
    selectRows(data.nRows, (i) => folds[i] === TEST_FOLD),
  );
  const predicted = loaded.model.predict(loaded.scaler.transform({ nRows: test.y.length, columns: test.x }));
  assert.ok(Math.abs(mse(test.y, predicted) - meta.test.mse) <= 1e-9 * meta.test.mse);
  assert.equal(meta.test.rows, test.y.length);

  // scikit-learn on the same rows and folds.
  const dir = tempDir('lake-trainer-');
  const local = await clients.download(
    meta.lineage.files.map((f) => f.path),
    dir,
  );
  const ids: number[] = [];
  for (const f of meta.lineage.files) {
    const t = await readParquetColumns(clients.hdfs.source(f.path), { columns: ['id'] });
    for (const v of t.getChild('id')!) ids.push(Number(v));
  }
  const foldsFile = join(dir, 'folds.json');
  writeFileSync(foldsFile, JSON.stringify({ ids, folds: Array.from(assignFolds(ids, 2, 0.2, seed)) }));
  const grid = { n_estimators: [10], max_depth: [1, 8] };
  const sk = JSON.parse(
    runPython(SKLEARN, [JSON.stringify(local), foldsFile, JSON.stringify(grid), String(seed)]),
  ) as {
    best: Record<string, unknown>;
    cv: number[];
    params: Record<string, unknown>[];
    testMse: number;
    trainRows: number;
    testRows: number;
  };
  assert.equal(sk.trainRows, meta.train.rows);
  assert.equal(sk.testRows, meta.test.rows);
  assert.deepEqual(meta.bestParams, { n_estimators: 10, max_depth: sk.best.max_depth });
  sk.params.forEach((p, i) => {
    const ours = meta.trials.find((t) => t.params.max_depth === p.max_depth)!;
    const rel = Math.abs(ours.cvMse! - sk.cv[i]!) / sk.cv[i]!;
    assert.ok(
      rel < 0.03,
      `max_depth ${p.max_depth}: CV MSE ours ${ours.cvMse} vs scikit-learn ${sk.cv[i]} (${(rel * 100).toFixed(2)} %)`,
    );
  });
  t.diagnostic(
    `trainer vs scikit-learn: CV MSE ${JSON.stringify(meta.trials.map((x) => [x.params.max_depth, x.cvMse]))} vs ${JSON.stringify(sk.params.map((p, i) => [p.max_depth, sk.cv[i]]))}; test MSE ${meta.test.mse} vs ${sk.testMse}; noise variance ${meta.noiseVariance}`,
  );
  const rel = Math.abs(meta.test.mse - sk.testMse) / sk.testMse;
  assert.ok(rel < 0.03, `test MSE ours ${meta.test.mse} vs scikit-learn ${sk.testMse}`);
  assert.ok(
    meta.test.mse / meta.noiseVariance! < 1.1,
    `test MSE ${meta.test.mse} vs noise ${meta.noiseVariance}`,
  );

  // A duplicated result and a resubmitted job change nothing.
  const dup: TrialResult = {
    job: job.job,
    trial: 'p000',
    fold: 0,
    rung: 0,
    status: 'ok',
    score: 1,
    trainMs: 1,
    rows: 1,
    worker: 'test',
    error: null,
    finishedAt: Date.now(),
  };
  await producer.send(TOPICS.trainingResults.name, [{ key: trialKey(job.job, 'p000'), value: dup }]);
  await producer.send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
  await new Promise((r) => setTimeout(r, 3000));
  assert.deepEqual(await registry.versions(model), [1]);
  const stored = (await store.results(job.job)).find((r) => r.trial === 'p000' && r.fold === 0)!;
  assert.notEqual(stored.worker, 'test', 'the first result of a trial and fold is kept');
});
