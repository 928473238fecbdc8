import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { dlqTopic, type PredictionsWritten, TOPICS } from '@lakestream/contracts';
import { rangeEdges } from '@lakestream/drift';
import { startEtlService } from '@lakestream/etl';
import { MODEL_FILES, ModelRegistry, PRODUCTION } from '@lakestream/models';
import { type PredictionSummary, PREDICTION_FILES } from '@lakestream/prediction';
import { startPredictorService } from '@lakestream/predictor';
import { publishSynthetic } from '@lakestream/publish';
import { repoRoot, runPython, tempDir } from '@lakestream/testkit';
import { loadTrainingData } from '@lakestream/training';
import { eventually, groupCaughtUp, lake, uniqueName } from '../etl/pipeline';
import { readTopic } from '../faults/harness';
import { stackConfig } from '../stack/config';
import { removeModelAndJobs } from '../trainer/cleanup';
import { publishModel } from './publish-model';

const run = promisify(execFile);
const model = uniqueName('pm');
const dataset = uniqueName('predict');
const base = stackConfig();
const config = {
  ...base,
  workers: { concurrency: 2 },
  predictor: { ...base.predictor, model, alias: PRODUCTION, datasets: [dataset] },
};
const clients = lake(config);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
const PARTITIONS = 3;
let services: { url: string; close(): Promise<void> }[] = [];

const lakeCli = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [join(repoRoot(), 'cli', 'bin', 'lake.js'), ...args], { timeout: 120_000 }))
    .stdout;

async function publish(batch: string, seed: number): Promise<void> {
  await publishSynthetic(
    { hdfs: clients.hdfs, producer: await clients.producer(), paths: clients.paths },
    { dataset, batch, rows: 30_000, partitions: PARTITIONS, seed, referenceDate: '2026-06-01', workers: 1 },
  );
  await eventually(`clean ${batch}`, 90_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, batch)}/_SUCCESS`)) ? true : undefined,
  );
}

const done = (batch: string, version: number) =>
  eventually(`predictions of ${batch} by v${version}`, 90_000, () =>
    clients.readJson<PredictionSummary>(
      `${clients.paths.predictions(dataset, model, version, batch)}/${PREDICTION_FILES.summary}`,
    ),
  );

/** DuckDB over the prediction files beside the clean files: counts, join, MSE, one prediction per age. */
const DUCKDB = `
import duckdb, json, sys
pred, clean = json.loads(sys.argv[1]), json.loads(sys.argv[2])
con = duckdb.connect()
con.execute("create table p as select * from read_parquet(?)", [pred])
con.execute("create table c as select * from read_parquet(?)", [clean])
one = lambda sql: con.execute(sql).fetchone()
print(json.dumps(dict(
  rows=one("select count(*) from p")[0],
  ids=one("select count(distinct id) from p")[0],
  cleanRows=one("select count(*) from c")[0],
  unmatched=one("select count(*) from p full outer join c using (id) where p.age is distinct from c.age")[0],
  mse=one("select avg((prediction - salary) * (prediction - salary)) from p join c using (id)")[0],
  perAge=one("select max(k) from (select count(distinct prediction) as k from p group by age)")[0],
  byAge={str(a): v for a, v in con.execute("select age, any_value(prediction) from p group by age").fetchall()},
  bins={str(b): n for b, n in con.execute("select cast(floor(prediction / 10000) as integer), count(*) from p where prediction is not null group by 1").fetchall()},
)))
`;

before(async () => {
  services = await Promise.all([
    startEtlService({ config, port: 0, shutdownHooks: false }),
    startPredictorService({ config, port: 0, shutdownHooks: false }),
  ]);
});

after(async () => {
  await Promise.all(services.map((s) => s.close()));
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await removeModelAndJobs(clients, model, 'none');
  await clients.close();
});

test('a batch cleaned before any model exists is left unscored; `lake predict` backfills it exactly (DuckDB)', async () => {
  await publish('b1', 11);
  await eventually('lake-predictor to catch up on lake.chunks.clean', 90_000, async () =>
    (await groupCaughtUp(config, 'lake-predictor', TOPICS.chunksClean.name)) ? true : undefined,
  );
  assert.equal(await clients.hdfs.exists(`${clients.paths.dataset(dataset)}/predictions`), false);

  const data = await loadTrainingData(clients.hdfs, clients.paths, {
    job: 'predictor-test',
    dataset,
    batches: ['b1'],
    features: ['age'],
    target: 'salary',
  });
  const v1 = await publishModel(
    registry,
    model,
    { ...data, features: ['age'], target: 'salary' },
    {
      nEstimators: 10,
      maxDepth: 6,
      seed: 1,
    },
  );
  await registry.promote(model, v1, PRODUCTION);

  const summary = JSON.parse(
    await lakeCli('predict', 'b1', '--dataset', dataset, '--model', `${model}@production`, '--json'),
  ) as PredictionSummary;
  assert.equal(summary.version, v1);
  assert.equal(summary.partitions, PARTITIONS);
  const dir = clients.paths.predictions(dataset, model, v1, 'b1');
  const names = (await clients.hdfs.list(dir)).map((e) => e.name).sort();
  assert.deepEqual(
    names,
    [
      PREDICTION_FILES.success,
      '_partials',
      'part-00000.parquet',
      'part-00001.parquet',
      'part-00002.parquet',
      PREDICTION_FILES.summary,
      PREDICTION_FILES.log,
    ].sort(),
  );

  const tmp = tempDir();
  const pred = await clients.download(
    [0, 1, 2].map((p) => `${dir}/part-0000${p}.parquet`),
    tmp,
  );
  const clean = await clients.download(
    [0, 1, 2].map((p) => clients.paths.cleanPartition(dataset, 'b1', p)),
    tmp,
  );
  const ref = JSON.parse(runPython(DUCKDB, [JSON.stringify(pred), JSON.stringify(clean)])) as {
    rows: number;
    ids: number;
    cleanRows: number;
    unmatched: number;
    mse: number;
    perAge: number;
    byAge: Record<string, number>;
    bins: Record<string, number>;
  };
  assert.equal(ref.rows, ref.cleanRows, 'one prediction per clean row');
  assert.equal(ref.ids, ref.cleanRows, 'each id once');
  assert.equal(ref.unmatched, 0, 'ids and ages carried over from the clean files');
  assert.equal(summary.rows, ref.rows);
  assert.ok(Math.abs(summary.mse! - ref.mse) <= 1e-9 * ref.mse, `MSE ${summary.mse} vs DuckDB ${ref.mse}`);
  assert.equal(ref.perAge, 1, 'a model of age alone predicts one value per age');
  // The values are the published model's: load it independently and score each age.
  const loaded = await registry.load(`${model}@v${v1}`);
  const ages = Object.keys(ref.byAge).map(Number);
  const expected = loaded.model.predict(
    loaded.scaler.transform({ nRows: ages.length, columns: [Float64Array.from(ages)] }),
  );
  for (const [i, a] of ages.entries())
    assert.equal(ref.byAge[String(a)], expected[i], `prediction at age ${a}`);
  // prediction.json's histogram of the predictions (drift.bins.prediction: 0–400,000 by 10,000,
  // open below and above) equals DuckDB's count per 10,000-wide bin of the prediction files.
  const edges = rangeEdges(config.drift.bins.prediction!);
  assert.deepEqual(summary.histogram?.edges, edges);
  const want = edges.slice(0, -1).map((_, i) => (i === 0 ? 0 : (ref.bins[String(i - 1)] ?? 0)));
  assert.deepEqual(summary.histogram?.counts, want);
  const log = Buffer.from(await clients.hdfs.readFile(`${dir}/${PREDICTION_FILES.log}`)).toString('utf8');
  assert.match(log, new RegExp(`Predicting ${dataset}/b1: ${PARTITIONS} partitions, ${ref.rows} rows`));
  assert.match(log, /Inference time: [\d.]+ seconds/);
});

test('new batches are scored continuously; a promotion applies from the next batch; CSV export streams every row', async () => {
  const v1 = (await registry.resolve(`${model}@production`)).version;
  await publish('b2', 12);
  const s2 = await done('b2', v1);
  assert.equal(s2.partitions, PARTITIONS);

  // A second version, promoted: the next batch uses it, b2 keeps its v1 predictions only.
  const data = await loadTrainingData(clients.hdfs, clients.paths, {
    job: 'predictor-test',
    dataset,
    batches: ['b1', 'b2'],
    features: ['age'],
    target: 'salary',
  });
  const v2 = await publishModel(
    registry,
    model,
    { ...data, features: ['age'], target: 'salary' },
    {
      nEstimators: 8,
      maxDepth: 4,
      seed: 2,
    },
  );
  await registry.promote(model, v2, PRODUCTION);
  await publish('b3', 13);
  // `lake wait --stage predict` follows the version the predictor pinned for the batch.
  const waited = JSON.parse(
    await lakeCli('wait', 'b3', '--dataset', dataset, '--stage', 'predict', '--timeout', '90', '--json'),
  ) as { stage: string; model: string; version: number; rows: number };
  const s3 = await done('b3', v2);
  assert.equal(s3.version, v2);
  assert.deepEqual(waited, { ...waited, stage: 'predict', model, version: v2, rows: s3.rows });
  assert.equal(await clients.hdfs.exists(clients.paths.predictions(dataset, model, v2, 'b2')), false);
  assert.equal(await clients.hdfs.exists(clients.paths.predictions(dataset, model, v1, 'b3')), false);

  // One PredictionsWritten per partition and batch, naming the version that wrote it.
  const records = await readTopic(config, TOPICS.predictions.name, `${dataset}/`);
  const seen = records
    .map((r) => r.value as PredictionsWritten)
    .map((w) => `${w.batch}/${w.partition}@v${w.version}`);
  for (const [batch, v] of [
    ['b1', v1],
    ['b2', v1],
    ['b3', v2],
  ] as const)
    for (let p = 0; p < PARTITIONS; p++)
      assert.ok(seen.includes(`${batch}/${p}@v${v}`), `${batch}/${p}@v${v} announced`);
  assert.equal(new Set(seen).size, 3 * PARTITIONS);

  const metrics = await (await fetch(`${services[1]!.url}/metrics`)).text();
  assert.match(metrics, new RegExp(`lake_model_version\\{model="${model}"[^}]*\\} ${v2}`));

  const csvFile = join(tempDir(), 'predictions.csv');
  await lakeCli('predictions', 'b2', '--dataset', dataset, '--csv', csvFile);
  const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'id,age,prediction');
  assert.equal(lines.length - 1, s2.rows);
  // Every CSV row holds v1's prediction for its age, printed exactly (shortest round-trip form).
  const m1 = await registry.load(`${model}@v${v1}`);
  const ages = Float64Array.from({ length: 120 }, (_, a) => a);
  const byAge = m1.model.predict(m1.scaler.transform({ nRows: ages.length, columns: [ages] }));
  const ids = new Set<string>();
  for (const line of lines.slice(1)) {
    const [id, age, prediction] = line.split(',');
    ids.add(id!);
    assert.equal(Number(prediction), byAge[Number(age)], line);
  }
  assert.equal(ids.size, s2.rows, 'each id once');
});

test('a production model that fails its checksum: the DLQ names it, nothing is written, the next batch goes on', async () => {
  const good = (await registry.resolve(`${model}@production`)).version;
  const data = await loadTrainingData(clients.hdfs, clients.paths, {
    job: 'predictor-test',
    dataset,
    batches: ['b1'],
    features: ['age'],
    target: 'salary',
  });
  const bad = await publishModel(
    registry,
    model,
    { ...data, features: ['age'], target: 'salary' },
    { nEstimators: 3, maxDepth: 3, seed: 3 },
    (files) => {
      const bytes = Uint8Array.from(files[MODEL_FILES.model] as Uint8Array);
      bytes[bytes.length - 9]! ^= 0xff;
      files[MODEL_FILES.model] = bytes;
    },
  );
  await registry.promote(model, bad, PRODUCTION);
  await publish('b4', 14);
  const dead = await eventually('b4 in the DLQ', 90_000, async () => {
    const records = await readTopic(config, dlqTopic(TOPICS.chunksClean.name), `${dataset}/b4/`);
    return records.length === PARTITIONS ? records : undefined;
  });
  for (const r of dead) {
    const error = (r.value as { error: string }).error;
    assert.match(error, new RegExp(`models/${model}/v${bad}`));
    assert.match(error, /checksum/);
  }
  assert.equal(await clients.hdfs.exists(clients.paths.predictions(dataset, model, bad, 'b4')), false);

  await registry.promote(model, good, PRODUCTION);
  await publish('b5', 15);
  const s5 = await done('b5', good);
  assert.equal(s5.partitions, PARTITIONS);
});
