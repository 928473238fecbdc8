import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { LakeConfig } from '@lakestream/config';
import { type DeadLetter, dlqTopic, jobKey, TOPICS, type TrainingJob } from '@lakestream/contracts';
import type {
  BatchDetail,
  BatchList,
  DlqView,
  LagView,
  ModelList,
  ModelVersionDetail,
} from '@lakestream/dashboard';
import { startDashboardService } from '@lakestream/dashboard';
import { startEtlService } from '@lakestream/etl';
import type { RunningService } from '@lakestream/nest-common';
import { ModelRegistry } from '@lakestream/models';
import { MonitorLedger } from '@lakestream/monitoring';
import {
  type BatchDrift,
  DRIFT_FILE,
  type ModelChoice,
  PREDICTION_FILES,
  type PredictionSummary,
  predictBatch,
} from '@lakestream/prediction';
import { startPredictorService } from '@lakestream/predictor';
import { publishSynthetic } from '@lakestream/publish';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { startTrainerService } from '@lakestream/trainer';
import { JobStore } from '@lakestream/training';
import { Kafka, logLevel } from 'kafkajs';
import { type BrowserContext, chromium } from 'playwright-core';
import { eventually, groupCaughtUp, lake, uniqueName } from '../etl/pipeline';
import { publishModel } from '../predictor/publish-model';
import { stackConfig } from '../stack/config';

/** Debian's chromium package; `apt-get install -y chromium` puts it here. */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(repoRoot(), 'test', '.artifacts', 'dashboard.png');

const dataset = uniqueName('dashtest');
const batch = 'b1';
/** Published once the model exists: scored by the predictor service with the pinned production version. */
const batch2 = 'b2';
const model = uniqueName('dashmodel');
const base = stackConfig();
const config: LakeConfig = {
  ...base,
  workers: { concurrency: 1 },
  log: { level: 'warn' },
  predictor: { ...base.predictor, model, alias: 'production', datasets: [dataset] },
};
const clients = lake(config);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
let etl: RunningService | undefined;
let trainer: RunningService | undefined;
let predictor: RunningService | undefined;
let dashboard: RunningService | undefined;
let browser: BrowserContext | undefined;
/** Chromium's profile folder, fresh for each run and removed after it. */
const profile = tempDir('lake-chromium-');

interface EmployeeRow {
  id: number;
  full_name: string;
  age: number;
  salary: number;
}
interface Report {
  rowsIn: number;
  rowsOut: number;
  seconds: number;
  rowsPerSecond: number;
  partitions: number;
  topEarners: EmployeeRow[];
  youngestActive: EmployeeRow[];
  oldestActive: EmployeeRow[];
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${dashboard!.url}${path}`);
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as T;
}

async function topicEnds(topic: string): Promise<Map<number, number>> {
  const admin = new Kafka({
    clientId: 'dashboard-test',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `the dashboard test drives Debian's Chromium at ${CHROMIUM}, which is not installed: run \`apt-get install -y chromium\``,
  );
  [etl, trainer, predictor] = await Promise.all([
    startEtlService({ config, port: 0, shutdownHooks: false }),
    startTrainerService({ config, port: 0, shutdownHooks: false }),
    startPredictorService({ config, port: 0, shutdownHooks: false }),
  ]);
});

after(async () => {
  await browser?.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  await dashboard?.close();
  await Promise.all([etl?.close(), trainer?.close(), predictor?.close()]);
  await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
  await clients.hdfs.delete(registry.modelDir(model), { recursive: true }).catch(() => false);
  await clients.close();
});

test('the dashboard shows real batches, their ETL report and predictions, lag and dead letters, as HDFS and Kafka hold them', async (t) => {
  const started = Date.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const producer = await clients.producer();
  const published = await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    {
      dataset,
      batch,
      rows: 12_000,
      partitions: 3,
      seed: 5,
      quirks: true,
      referenceDate: '2026-06-01',
      workers: 1,
    },
  );
  assert.equal(published.outcome, 'published');
  const reportPath = `${clients.paths.reports(dataset, batch)}/etl_report.json`;
  const report = await eventually('the ETL report', 90_000, () => clients.readJson<Report>(reportPath));
  await eventually('clean/_SUCCESS', 30_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, batch)}/_SUCCESS`)) ? true : undefined,
  );
  const manifest = await clients.readJson<Record<string, unknown>>(clients.paths.manifest(dataset, batch));
  phase('etl report');
  // No model exists yet, so the predictor passes b1 by and pins nothing: b1 waits for a backfill.
  await eventually(`${config.predictor.group} to catch up on ${TOPICS.chunksClean.name}`, 90_000, async () =>
    (await groupCaughtUp(config, config.predictor.group, TOPICS.chunksClean.name)) ? true : undefined,
  );
  assert.equal(await clients.hdfs.exists(clients.paths.predictionAssignment(dataset, batch)), false);

  // A real model of the batch: a small grid search by the trainer, published to the registry.
  const job: TrainingJob = {
    job: uniqueName('dashjob'),
    dataset,
    batches: [batch],
    features: ['age', 'is_active'],
    target: 'salary',
    search: 'grid',
    space: JSON.stringify({ nEstimators: [10], maxDepth: [2, 4, 6] }),
    cvFolds: 2,
    testFraction: 0.2,
    seed: 3,
    maxTrials: null,
    scoring: 'mse',
    model,
    requestedAt: Date.now(),
    requestedBy: 'dashboard-test',
  };
  await producer.send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
  const outcome = await eventually('the training job outcome', 90_000, () =>
    new JobStore(clients.hdfs, clients.paths).outcome(job.job),
  );
  assert.equal(outcome.status, 'published', outcome.error ?? '');
  const loaded = await registry.load(`${model}@production`);
  phase('model published');

  // Predictions: b2 arrives after the model, so the predictor pins production (v1) for it and
  // scores it; b1 is backfilled with v1, and b2 with a second version that is not promoted.
  const v1 = loaded.version;
  await publishSynthetic(
    { hdfs: clients.hdfs, producer, paths: clients.paths },
    { dataset, batch: batch2, rows: 6000, partitions: 3, seed: 6, referenceDate: '2026-06-01', workers: 1 },
  );
  const backfill = (b: string, version: number) =>
    predictBatch(
      { hdfs: clients.hdfs, paths: clients.paths, registry, worker: 'dashboard-test' },
      { dataset, batch: b, model: { name: model, version } },
    );
  const backfilled1 = await backfill(batch, v1);
  // v2: a small forest of age and activity on the generator's curve without noise.
  const grid = Float64Array.from({ length: 126 }, (_, i) => 18 + (i >> 1));
  const active = Float64Array.from(grid, (_, i) => i & 1);
  const v2 = await publishModel(
    registry,
    model,
    {
      x: [grid, active],
      y: Float64Array.from(grid, (a, i) => 40_000 + 2200 * (a - 18) - 18 * (a - 18) ** 2 + 4000 * active[i]!),
      features: ['age', 'is_active'],
      target: 'salary',
    },
    { nEstimators: 5, maxDepth: 6, seed: 1 },
  );
  const predictionsOf = (b: string, version: number) =>
    `${clients.paths.predictions(dataset, model, version, b)}/${PREDICTION_FILES.summary}`;
  // _SUCCESS comes after prediction.json and prediction.log: the folder is complete.
  const scored2 = await eventually(`${batch2} scored by the predictor service`, 90_000, async () =>
    (await clients.hdfs.exists(
      `${clients.paths.predictions(dataset, model, v1, batch2)}/${PREDICTION_FILES.success}`,
    ))
      ? clients.readJson<PredictionSummary>(predictionsOf(batch2, v1))
      : undefined,
  );
  const backfilled2 = await backfill(batch2, v2);
  const pin = await clients.readJson<ModelChoice>(clients.paths.predictionAssignment(dataset, batch2));
  assert.deepEqual([pin?.name, pin?.version], [model, v1]);
  const report2 = await clients.readJson<Report>(`${clients.paths.reports(dataset, batch2)}/etl_report.json`);
  assert.deepEqual(
    [backfilled1.rows, scored2.rows, backfilled2.rows],
    [report.rowsOut, report2?.rowsOut, report2?.rowsOut],
    'one prediction per clean row',
  );
  phase('predictions written');

  // A dead letter for this run, so the DLQ panel has something of ours to show.
  const key = `${dataset}/${batch}/0`;
  const letter: DeadLetter = {
    originalTopic: TOPICS.chunksRaw.name,
    originalPartition: 0,
    originalOffset: 42,
    key,
    value: Buffer.from('not a descriptor'),
    headers: {},
    error: `dashboard test: ${dataset} is a poison pill`,
    errorName: 'EtlInputError',
    attempts: 3,
    service: 'dashboard-test',
    failedAt: Date.now(),
  };
  await producer.send(dlqTopic(TOPICS.chunksRaw.name), [{ key, value: letter }]);
  // And one as the predictor writes them, on the clean chunks' DLQ.
  const cleanKey = `${dataset}/${batch2}/1`;
  const cleanLetter: DeadLetter = {
    ...letter,
    originalTopic: TOPICS.chunksClean.name,
    originalOffset: 7,
    key: cleanKey,
    error: `dashboard test: ${model} v${v2} lacks a feature`,
    errorName: 'PredictionInputError',
    service: 'predictor',
  };
  await producer.send(dlqTopic(TOPICS.chunksClean.name), [{ key: cleanKey, value: cleanLetter }]);

  dashboard = await startDashboardService({ config, port: 0, shutdownHooks: false });

  // The API answers what HDFS holds.
  const list = await getJson<BatchList>('/api/batches');
  assert.ok(list.datasets.includes(dataset));
  const summary = list.batches.find((b) => b.dataset === dataset && b.batch === batch);
  assert.ok(summary, `${dataset}/${batch} in /api/batches`);
  const progress = (b: string, version: number) => ({
    model,
    version,
    path: clients.paths.predictions(dataset, model, version, b),
    done: 3,
    total: 3,
    success: true,
  });
  const partials = (await clients.hdfs.list(`${clients.paths.reports(dataset, batch)}/_partials`)).filter(
    (s) => s.name.endsWith('.json'),
  );
  assert.equal(partials.length, 3);
  assert.deepEqual(
    { ...summary, createdAt: 0 },
    {
      dataset,
      batch,
      createdAt: 0,
      partitions: 3,
      rows: manifest?.rows,
      bytes: manifest?.bytes,
      state: 'done',
      stages: {
        raw: { done: 3, total: 3, manifest: true, published: true },
        etl: { done: partials.length, total: 3 },
        report: { done: 1, total: 1 },
        clean: { done: 1, total: 1 },
        predict: {
          done: 3,
          total: 3,
          assignment: null,
          model,
          version: v1,
          success: true,
          versions: [{ ...progress(batch, v1), pinned: false }],
        },
      },
      report: {
        rowsIn: report.rowsIn,
        rowsOut: report.rowsOut,
        seconds: report.seconds,
        rowsPerSecond: report.rowsPerSecond,
      },
    },
  );
  assert.equal(summary.createdAt, manifest?.createdAt);
  const detail = await getJson<BatchDetail>(`/api/batches/${dataset}/${batch}`);
  assert.deepEqual(detail.report, report, 'the report is etl_report.json as stored');
  assert.deepEqual(detail.manifest, manifest, 'the manifest is _MANIFEST.json as stored');
  assert.deepEqual(
    detail.partitions,
    [0, 1, 2].map((partition) => ({ partition, raw: true, clean: true, partial: true })),
  );
  assert.equal((await fetch(`${dashboard.url}/api/batches/${dataset}/nosuchbatch`)).status, 404);
  const files = (b: string, version: number) => ({
    partitions: [0, 1, 2],
    summaryPath: predictionsOf(b, version),
    logPath: `${clients.paths.predictions(dataset, model, version, b)}/${PREDICTION_FILES.log}`,
    driftPath: `${clients.paths.predictions(dataset, model, version, b)}/${DRIFT_FILE}`,
  });
  // A backfill has no drift.json; no pin, so no monitor decision to look for.
  assert.deepEqual(detail.predictions, {
    assignment: null,
    assignmentPath: clients.paths.predictionAssignment(dataset, batch),
    versions: [
      { ...progress(batch, v1), pinned: false, ...files(batch, v1), summary: backfilled1, drift: null },
    ],
    monitor: null,
    monitorPath: null,
  });

  // b2: the pinned version first, then the backfill by v2, each with its prediction.json as stored.
  const summary2 = list.batches.find((b) => b.dataset === dataset && b.batch === batch2);
  assert.ok(summary2, `${dataset}/${batch2} in /api/batches`);
  assert.deepEqual(summary2.stages.predict, {
    done: 3,
    total: 3,
    assignment: pin,
    model,
    version: v1,
    success: true,
    versions: [
      { ...progress(batch2, v1), pinned: true },
      { ...progress(batch2, v2), pinned: false },
    ],
  });
  const detail2 = await getJson<BatchDetail>(`/api/batches/${dataset}/${batch2}`);
  assert.deepEqual(detail2.summary, summary2);
  // The continuous predictor's drift.json as stored, beside the pinned version's prediction.json.
  const drift2 = await clients.readJson<BatchDrift>(files(batch2, v1).driftPath);
  assert.ok(drift2, 'the pinned predictions of b2 have drift.json');
  assert.deepEqual(detail2.predictions, {
    assignment: pin,
    assignmentPath: clients.paths.predictionAssignment(dataset, batch2),
    versions: [
      { ...progress(batch2, v1), pinned: true, ...files(batch2, v1), summary: scored2, drift: drift2 },
      { ...progress(batch2, v2), pinned: false, ...files(batch2, v2), summary: backfilled2, drift: null },
    ],
    monitor: null,
    monitorPath: new MonitorLedger(clients.hdfs, clients.paths, dataset, model).decisionPath(batch2),
  });
  assert.equal(scored2.version, v1);
  assert.ok(scored2.mse !== null && scored2.labelled === scored2.rows, JSON.stringify(scored2));

  // Lag of the ETL group, bracketed by the log ends read before and after.
  const endsBefore = await topicEnds(TOPICS.chunksRaw.name);
  const lag = await getJson<LagView>('/api/lag');
  const endsAfter = await topicEnds(TOPICS.chunksRaw.name);
  const raw = lag.groups
    .find((g) => g.group === 'lake-etl')
    ?.topics.find((t) => t.topic === TOPICS.chunksRaw.name);
  assert.ok(raw, `lake-etl on ${TOPICS.chunksRaw.name} in ${JSON.stringify(lag.groups.map((g) => g.group))}`);
  assert.equal(raw.partitions.length, endsAfter.size);
  for (const p of raw.partitions) {
    assert.ok(
      p.end >= endsBefore.get(p.partition)! && p.end <= endsAfter.get(p.partition)!,
      JSON.stringify(p),
    );
    assert.equal(p.lag, Math.max(0, p.end - (p.committed >= 0 ? p.committed : 0)));
  }
  const predictorLag = lag.groups
    .find((g) => g.group === config.predictor.group)
    ?.topics.find((t) => t.topic === TOPICS.chunksClean.name);
  assert.ok(predictorLag, `${config.predictor.group} on ${TOPICS.chunksClean.name} in /api/lag`);
  assert.equal(predictorLag.partitions.length, (await topicEnds(TOPICS.chunksClean.name)).size);
  const metrics = await (await fetch(`${dashboard.url}/metrics`)).text();
  assert.match(
    metrics,
    /^lake_consumer_lag\{group="lake-etl",topic="lake\.chunks\.raw",service="dashboard"\} \d+$/m,
  );
  assert.match(
    metrics,
    new RegExp(
      `^lake_consumer_lag\\{group="${config.predictor.group}",topic="lake\\.chunks\\.clean",service="dashboard"\\} \\d+$`,
      'm',
    ),
  );

  // Our dead letter, decoded with the registry codec.
  const dlq = await eventually('our dead letter in /api/dlq', 30_000, async () => {
    const view = await getJson<DlqView>('/api/dlq?limit=500');
    return view.complete && [key, cleanKey].every((k) => view.entries.some((e) => e.key === k))
      ? view
      : undefined;
  });
  const cleanEntry = dlq.entries.find((e) => e.key === cleanKey)!;
  assert.deepEqual(
    [cleanEntry.topic, cleanEntry.originalTopic, cleanEntry.errorName, cleanEntry.service, cleanEntry.error],
    [
      'lake.chunks.clean.dlq',
      TOPICS.chunksClean.name,
      'PredictionInputError',
      'predictor',
      cleanLetter.error,
    ],
  );
  assert.equal(dlq.complete, true);
  const entry = dlq.entries.find((e) => e.key === key)!;
  assert.equal(entry.topic, 'lake.chunks.raw.dlq');
  assert.deepEqual(
    [
      entry.originalTopic,
      entry.originalPartition,
      entry.originalOffset,
      entry.error,
      entry.errorName,
      entry.attempts,
      entry.failedAt,
    ],
    [letter.originalTopic, 0, 42, letter.error, 'EtlInputError', 3, letter.failedAt],
  );
  const dlqTopicView = dlq.topics.find((t) => t.topic === 'lake.chunks.raw.dlq')!;
  assert.ok(
    dlqTopicView.read >= 1 && dlqTopicView.read <= dlqTopicView.offsets,
    JSON.stringify(dlqTopicView),
  );
  assert.equal((await getJson<DlqView>('/api/dlq?limit=1')).entries.length, 1);
  assert.equal((await fetch(`${dashboard.url}/api/dlq?limit=0`)).status, 400);

  // Models: what the registry holds, the leaderboard of its trials and the model's own predictions.
  const models = await getJson<ModelList>('/api/models');
  const ours = models.models.find((m) => m.name === model);
  assert.ok(ours, `${model} in /api/models`);
  assert.deepEqual(ours.aliases, { production: loaded.version });
  const meta = loaded.metadata;
  assert.deepEqual(
    ours.versions
      .filter((v) => v.version === v1)
      .map((v) => [v.version, v.aliases, v.bestCvMse, v.test, v.trials, v.trainRows, v.dataset]),
    [[loaded.version, ['production'], meta.bestCvMse, meta.test, 3, meta.train.rows, dataset]],
  );
  assert.deepEqual(
    ours.versions.map((v) => [v.version, v.aliases]).sort(([a], [b]) => Number(a) - Number(b)),
    [
      [v1, ['production']],
      [v2, []],
    ],
  );
  const modelDetail = await getJson<ModelVersionDetail>(`/api/models/${model}/${loaded.version}`);
  assert.deepEqual(
    modelDetail.leaderboard.map((t) => [t.rank, t.trial, t.cvMse]),
    [...meta.trials]
      .sort((a, b) => (a.cvMse ?? Infinity) - (b.cvMse ?? Infinity))
      .map((t, i) => [i + 1, t.trial, t.cvMse]),
  );
  assert.deepEqual(
    modelDetail.leaderboard[0]!.params,
    meta.trials.find((t) => t.cvMse === meta.bestCvMse)!.params,
  );
  assert.ok('series' in modelDetail.curve, JSON.stringify(modelDetail.curve));
  const ages = modelDetail.curve.ages;
  assert.deepEqual([ages[0], ages.at(-1), ages.length], [18, 80, 63]);
  for (const series of modelDetail.curve.series) {
    const columns = [ages, ages.map(() => series.isActive ?? 0)];
    const want = loaded.model.predict(loaded.scaler.transform({ nRows: ages.length, columns }));
    assert.deepEqual(series.salary, Array.from(want), `curve for is_active=${series.isActive}`);
  }
  assert.deepEqual(
    modelDetail.curve.series.map((s) => s.isActive),
    [0, 1],
  );
  assert.equal((await fetch(`${dashboard.url}/api/models/${model}/99`)).status, 404);

  phase('api checked');
  // The page, in headless Chromium.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 1000 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${dashboard.url}/#batch=${dataset}/${batch}`);
  const row = page.locator(`tr[data-batch="${dataset}/${batch}"]`);
  await row.waitFor({ timeout: 20_000 });
  assert.match(await row.innerText(), /done/);
  await row.click();
  const query1 = page.locator('[data-testid=query1] tbody tr');
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid=query1] tbody tr').length === ${report.topEarners.length}`,
    undefined,
    { timeout: 20_000 },
  );
  assert.equal(await page.locator('#report-sub').innerText(), `${dataset}/${batch} · done`);
  const first = (await query1.first().locator('td').allInnerTexts()).map((t) => t.trim());
  assert.equal(first[1], String(report.topEarners[0].id), 'the first top earner of the report');
  assert.equal(first[2], report.topEarners[0].full_name);
  // raw, clean, ETL partial and the v1 backfill's predictions: 4 rows of 3 partitions.
  assert.equal(await page.locator('[data-testid=partitions] rect[data-done="1"]').count(), 12);
  assert.equal(
    await page
      .locator(`[data-testid=partitions] rect[data-stage="predict:${model}@${v1}"][data-done="1"]`)
      .count(),
    3,
  );
  const backfillRow = page.locator(`[data-testid=predictions] tr[data-predictions="${model}@${v1}"]`);
  await backfillRow.waitFor({ timeout: 20_000 });
  assert.match(await backfillRow.innerText(), /backfill[\s\S]*complete/);
  assert.match(await page.locator('[data-testid=assignment]').innerText(), /No model version pinned/);
  const youngest = page.locator('[data-testid=query2-youngest] tbody tr');
  assert.equal(await youngest.count(), report.youngestActive.length);
  assert.equal(
    (await youngest.first().locator('td').nth(1).innerText()).trim(),
    String(report.youngestActive[0].id),
  );
  assert.equal(
    await page.locator('#chart svg circle').count(),
    10 + report.youngestActive.length + report.oldestActive.length,
  );
  await page.locator('tr[data-group="lake-etl"]').first().waitFor({ timeout: 20_000 });
  await page.locator(`tr[data-group="${config.predictor.group}"]`).first().waitFor({ timeout: 20_000 });
  await page.waitForFunction(
    `['${key}', '${cleanKey}'].every((k) => document.getElementById('dlq').textContent.includes(k))`,
    undefined,
    {
      timeout: 30_000,
    },
  );
  const modelRow = page.locator(`tr[data-model="${model}@${loaded.version}"]`);
  await modelRow.waitFor({ timeout: 20_000 });
  await modelRow.click();
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid=leaderboard] tbody tr').length === 3 && document.querySelector('#leaderboard-sub').textContent.startsWith(${JSON.stringify(`${model} v${loaded.version}`)})`,
    undefined,
    { timeout: 20_000 },
  );
  const top = (
    await page.locator('[data-testid=leaderboard] tbody tr').first().locator('td').allInnerTexts()
  ).map((t) => t.trim());
  assert.deepEqual(top.slice(0, 2), ['1', modelDetail.leaderboard[0]!.trial]);
  // One plot per parameter that varies (only the depth here), one point per trial.
  const varying = Object.keys(meta.trials[0]!.params).filter(
    (k) => new Set(meta.trials.map((t) => JSON.stringify(t.params[k]))).size > 1,
  );
  assert.equal(varying.length, 1, JSON.stringify(meta.trials.map((t) => t.params)));
  assert.equal(await page.locator(`#leaderboard svg[data-param="${varying[0]}"] circle`).count(), 3);
  await page.locator('#chart polyline[data-curve=active]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('#chart polyline').count(), 2);

  // b2: its row's predict stage, then its predictions: the pinned version and the v2 backfill.
  const row2 = page.locator(`tr[data-batch="${dataset}/${batch2}"]`);
  assert.match(await row2.locator('[data-testid=predict]').innerText(), new RegExp(`3/3\\s*v${v1} \\+1`));
  await row2.click();
  await page.waitForFunction(
    `document.querySelector('#predictions-sub').textContent.startsWith(${JSON.stringify(`${dataset}/${batch2}`)}) && document.querySelectorAll('[data-testid=predictions] tbody tr').length === 2`,
    undefined,
    { timeout: 20_000 },
  );
  assert.deepEqual(
    await page
      .locator('[data-testid=predictions] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-predictions'))),
    [`${model}@${v1}`, `${model}@${v2}`],
  );
  const pinnedCells = (await page.locator(`tr[data-predictions="${model}@${v1}"] td`).allInnerTexts()).map(
    (t) => t.trim(),
  );
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  assert.deepEqual(
    [pinnedCells[1], pinnedCells[2], pinnedCells[3], pinnedCells[4], pinnedCells[8], pinnedCells[12]],
    [
      'pinned',
      '3/3',
      'complete',
      int(scored2.rows),
      int(scored2.mse!),
      clients.paths.predictions(dataset, model, v1, batch2),
    ],
  );
  const assignment = await page.locator('[data-testid=assignment]').innerText();
  assert.ok(
    assignment.includes(`${model} v${v1}`) &&
      assignment.includes(clients.paths.predictionAssignment(dataset, batch2)),
    assignment,
  );
  assert.equal(
    await page.locator('[data-testid=partitions] rect[data-stage^="predict:"][data-done="1"]').count(),
    6,
  );
  // The Drift panel: drift.json's verdict, one chart per compared column with a reference and a
  // batch bar for every bin that holds rows on either side.
  await page.waitForFunction(
    `document.querySelector('#drift-sub').textContent === ${JSON.stringify(`${dataset}/${batch2} · ${model} v${v1}`)}`,
    undefined,
    { timeout: 20_000 },
  );
  assert.match(
    await page.locator('[data-testid=drift-verdict]').innerText(),
    drift2.alert ? /^ALERT/ : /^no drift/,
  );
  for (const f of drift2.drifts) {
    const bins = f.reference.counts.filter((c, i) => c > 0 || f.current.counts[i]! > 0).length;
    for (const side of ['reference', 'batch'])
      assert.equal(
        await page.locator(`[data-testid="hist-${f.column}"] rect[data-side=${side}]`).count(),
        bins,
        `${f.column}: ${side} bars`,
      );
  }
  assert.equal(await page.locator('[data-drift-column]').count(), drift2.drifts.length);
  assert.match(await page.locator('[data-testid=drift-monitor]').innerText(), /no monitor decision/);
  assert.doesNotMatch(await page.locator('#drift').innerText(), /\b(null|undefined|NaN)\b/);
  assert.deepEqual(pageErrors, []);

  mkdirSync(join(repoRoot(), 'test', '.artifacts'), { recursive: true });
  rmSync(SCREENSHOT, { force: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  const png = readFileSync(SCREENSHOT);
  assert.ok(statSync(SCREENSHOT).size > 10_000, `screenshot of ${png.length} bytes`);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  phase('page checked');
  t.diagnostic(`phases: ${phases.join(', ')}`);
});
