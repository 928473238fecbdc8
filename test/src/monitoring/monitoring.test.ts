import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { LakeConfig } from '@lakestream/config';
import { batchKey, type DriftDetected, TOPICS } from '@lakestream/contracts';
import { rangeEdges } from '@lakestream/drift';
import { startEtlService } from '@lakestream/etl';
import { CANDIDATE, ModelRegistry, PRODUCTION } from '@lakestream/models';
import { type BatchDecisionRecord, MonitorLedger, retrainJobId } from '@lakestream/monitoring';
import { predictBatch } from '@lakestream/prediction';
import { startPredictorService } from '@lakestream/predictor';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { startTrainerService } from '@lakestream/trainer';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, groupCaughtUp, lake, uniqueName } from '../etl/pipeline';
import { readTopic } from '../faults/harness';
import { stackConfig } from '../stack/config';
import { removeModelAndJobs } from '../trainer/cleanup';
import {
  batchDrift,
  challengeReport,
  cleaned,
  jobVersion,
  PARTITIONS,
  publishBatch,
  publishShifted,
  referenceDrift,
  referencePaired,
  trainFirstVersion,
} from './helpers';

const base = stackConfig();
const clients = lake(base);
const registry = new ModelRegistry(clients.hdfs, clients.paths);
const made: { dataset: string; model: string; groups: string[] }[] = [];
let etl: { close(): Promise<void> } | undefined;

before(async () => {
  etl = await startEtlService({ config: base, port: 0, shutdownHooks: false });
});

after(async () => {
  await etl?.close();
  const kafka = new Kafka({
    clientId: 'lake-monitoring-test',
    brokers: base.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  for (const { dataset, model, groups } of made) {
    await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
    await removeModelAndJobs(clients, model, model);
    await admin.deleteGroups(groups).catch(() => undefined);
  }
  await admin.disconnect();
  await clients.close();
});

/** A predictor and a trainer with its monitor for one model and dataset, in groups of their own. */
async function services(policy: LakeConfig['monitoring']['retrain']) {
  const dataset = uniqueName('monitor');
  const model = uniqueName('mm');
  const groups = [uniqueName('lake-predictor-monitor'), uniqueName('lake-monitor')];
  made.push({ dataset, model, groups });
  const config: LakeConfig = {
    ...base,
    predictor: { ...base.predictor, model, datasets: [dataset], group: groups[0]! },
    monitoring: {
      retrain: policy,
      challenger: { ...base.monitoring.challenger, enabled: true },
      group: groups[1]!,
    },
  };
  const running = await Promise.all([
    startPredictorService({ config, port: 0, shutdownHooks: false }),
    startTrainerService({ config, port: 0, shutdownHooks: false }),
  ]);
  return { config, dataset, model, close: () => Promise.all(running.map((s) => s.close())) };
}

/** The predictor has seen b0 before any model exists (so b0 stays unscored, as a training batch). */
const unscored = (config: LakeConfig) =>
  eventually('the predictor to pass over b0', 60_000, async () =>
    (await groupCaughtUp(config, config.predictor.group, TOPICS.chunksClean.name)) ? true : undefined,
  );

const lakeCli = async (...args: string[]): Promise<string> =>
  (
    await promisify(execFile)(process.execPath, [join(repoRoot(), 'cli', 'bin', 'lake.js'), ...args], {
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    })
  ).stdout;

const files = (dir: string, n = PARTITIONS) =>
  Array.from({ length: n }, (_, p) => `${dir}/part-${String(p).padStart(5, '0')}.parquet`);

async function decision(dataset: string, model: string, batch: string): Promise<BatchDecisionRecord> {
  const ledger = new MonitorLedger(clients.hdfs, clients.paths, dataset, model);
  return eventually(`the monitor's decision on ${batch}`, 60_000, () => ledger.decision(batch));
}

async function alertsOf(config: LakeConfig, dataset: string, batch: string): Promise<DriftDetected[]> {
  return (await readTopic(config, TOPICS.alerts.name, batchKey(dataset, batch)))
    .filter((r) => r.key === batchKey(dataset, batch))
    .map((r) => r.value as DriftDetected);
}

/** The challenge report beside SciPy on the same files: rows, MSEs, bound, p-value and decision. */
async function checkAgainstSciPy(
  dataset: string,
  model: string,
  batch: string,
  production: number,
  candidate: number,
) {
  const report = await challengeReport(registry, model, candidate);
  const meta = await registry.readMetadata(model, candidate);
  assert.ok(meta);
  // The candidate's predictions as a backfill (`lake predict`), to give SciPy what the challenger scored in memory.
  await predictBatch(
    { hdfs: clients.hdfs, paths: clients.paths, registry, worker: 'monitoring-test' },
    { dataset, batch, model: { name: model, version: candidate } },
  );
  const tmp = tempDir();
  const download = (dir: string) => clients.download(files(dir), tmp);
  const ref = referencePaired(
    await download(clients.paths.cleanBatch(dataset, batch)),
    await download(clients.paths.predictions(dataset, model, production, batch)),
    await download(clients.paths.predictions(dataset, model, candidate, batch)),
    meta.lineage.batches.includes(batch) ? { testFraction: meta.testFraction, seed: meta.seed } : null,
    report.criterion.confidence,
  );
  const close = (a: number | null, b: number, what: string) =>
    assert.ok(a !== null && Math.abs(a - b) <= 1e-9 * Math.abs(b), `${what}: ${a} vs SciPy ${b}`);
  assert.equal(report.rows.compared, ref.n);
  assert.equal(report.rows.labelled, ref.labelled);
  close(report.productionMse, ref.mseProduction, 'production MSE');
  close(report.candidateMse, ref.mseCandidate, 'candidate MSE');
  close(report.difference.mean, ref.mean, 'mean gain');
  close(report.difference.lowerBound, ref.lower, 'lower bound');
  close(report.difference.z, ref.z, 'z');
  assert.ok(Math.abs(report.difference.pValue! - ref.p) <= 1e-12 + 1e-9 * ref.p, 'p-value');
  // SciPy's paired t-test at the same level decides the same way.
  assert.equal(report.decision === 'promoted', ref.tTestP < 1 - report.criterion.confidence);
  return { report, ref };
}

test('on drift: a batch like the training data raises nothing; ages +15 raise an alert, a retrain, and a candidate promoted because it wins', async (t) => {
  const started = Date.now();
  const s = await services({ policy: 'on-drift', everyBatches: 10, window: 1 });
  const { config, dataset, model } = s;
  try {
    await publishBatch(clients, { dataset, batch: 'b0', rows: 12_000, seed: 1, firstId: 0 });
    await cleaned(clients, dataset, 'b0');
    await unscored(config);
    const v1 = await trainFirstVersion(clients, { dataset, model, batches: ['b0'] });
    assert.equal((await registry.aliases(model))[PRODUCTION], v1);
    const first = (await registry.promotions(model, PRODUCTION))[0];
    assert.match(first?.evidence?.reason ?? '', /^first version of /);
    assert.ok(
      (await registry.readMetadata(model, v1))?.reference?.prediction,
      'v1 keeps its prediction histogram',
    );

    // b1: the same generator, other rows.
    await publishBatch(clients, { dataset, batch: 'b1', rows: 6_000, seed: 2, firstId: 1_000_000 });
    const same = await batchDrift(clients, { dataset, batch: 'b1', model, version: v1 });
    assert.deepEqual(
      same.drifts.map((d) => d.column),
      ['age', 'salary', 'prediction'],
    );
    assert.equal(same.alert, false, same.reasons.join('; '));
    const edges = rangeEdges(config.drift.bins.age!);
    const tmp = tempDir();
    const ageRef = referenceDrift(
      await clients.download(files(clients.paths.cleanBatch(dataset, 'b0')), tmp),
      await clients.download(files(clients.paths.cleanBatch(dataset, 'b1')), tmp),
      'age',
      edges,
    );
    const age1 = same.drifts.find((d) => d.column === 'age')!;
    assert.ok(
      Math.abs(age1.psi - ageRef.psi) < 1e-12 && Math.abs(age1.ks - ageRef.ks) < 1e-12,
      'age drift equals NumPy',
    );
    const d1 = await decision(dataset, model, 'b1');
    assert.deepEqual([d1.seq, d1.retrain, d1.reason, d1.job], [1, false, 'no drift', null]);

    // b2: every age 15 years on, salaries still those of the original ages.
    await publishShifted(clients, {
      dataset,
      batch: 'b2',
      rows: 12_000,
      seed: 3,
      firstId: 2_000_000,
      ageShift: 15,
    });
    const shifted = await batchDrift(clients, { dataset, batch: 'b2', model, version: v1 });
    assert.equal(shifted.alert, true);
    const age2 = shifted.drifts.find((d) => d.column === 'age')!;
    const ageRef2 = referenceDrift(
      await clients.download(files(clients.paths.cleanBatch(dataset, 'b0')), tmp),
      await clients.download(files(clients.paths.cleanBatch(dataset, 'b2')), tmp),
      'age',
      edges,
    );
    assert.ok(Math.abs(age2.psi - ageRef2.psi) < 1e-12 && Math.abs(age2.ks - ageRef2.ks) < 1e-12);
    assert.ok(age2.drifted && shifted.mse.exceeded, `${shifted.reasons.join('; ')}`);
    assert.ok(shifted.reasons.some((r) => r.startsWith('age: psi')));
    const d2 = await decision(dataset, model, 'b2');
    assert.equal(d2.retrain, true);
    assert.equal(d2.job?.job, retrainJobId(model, dataset, 'b2'));
    assert.deepEqual(d2.job?.batches, ['b2']);
    assert.match(d2.reason, /^drift: age: psi/);
    const alerts = await alertsOf(config, dataset, 'b2');
    assert.equal(alerts.length, 1, 'one DriftDetected for the shifted batch');
    assert.equal(alerts[0]!.reportPath, shifted.path);
    assert.deepEqual(await alertsOf(config, dataset, 'b1'), [], 'none for the batch like the training data');

    const v2 = await jobVersion(clients, d2.job!.job);
    const { report, ref } = await checkAgainstSciPy(dataset, model, 'b2', v1, v2);
    assert.equal(report.decision, 'promoted', report.reason);
    await eventually('v2 in production', 30_000, async () =>
      (await registry.aliases(model))[PRODUCTION] === v2 ? true : undefined,
    );
    const promotion = (await registry.promotions(model, PRODUCTION)).at(-1)!;
    assert.equal(promotion.version, v2);
    assert.equal(promotion.evidence?.challenge?.path, report.path);
    assert.match(
      promotion.evidence?.reason ?? '',
      /^champion\/challenger on .*\/b2 against v1: better beyond noise/,
    );
    assert.match(report.rows.selection, /test split of v2/);

    // What `lake drift` and `lake models` print: drift.json as stored, the decision, the evidence.
    const cli = JSON.parse(await lakeCli('drift', 'b2', '--dataset', dataset, '--json')) as typeof shifted & {
      stored: boolean;
      decision: BatchDecisionRecord;
    };
    assert.deepEqual(
      { ...cli, stored: undefined, decision: undefined },
      { ...shifted, stored: undefined, decision: undefined },
    );
    assert.deepEqual([cli.stored, cli.decision], [true, d2]);
    const text = await lakeCli('drift', 'b2', '--dataset', dataset);
    assert.match(text, /ALERT/);
    assert.match(text, /age — reference \(training\) beside b2/);
    assert.match(text, /\[90, 95\)\s+0\.0 %\s+\d+\.\d %/, 'ages 90–94 exist only in the shifted batch');
    assert.match(text, new RegExp(`retrain job ${d2.job!.job} on b2`));
    const listed = JSON.parse(await lakeCli('models', model, '--json')) as {
      models: {
        version: number;
        aliases: string[];
        promotions: { alias: string; challenge: string | null }[];
      }[];
    };
    const v2Listed = listed.models.find((m) => m.version === v2)!;
    assert.ok(v2Listed.aliases.includes(PRODUCTION));
    assert.ok(v2Listed.promotions.some((p) => p.alias === PRODUCTION && p.challenge === report.path));

    // b3: shifted again, scored by v2, whose training data is shifted too: no drift, no retrain.
    await publishShifted(clients, {
      dataset,
      batch: 'b3',
      rows: 6_000,
      seed: 4,
      firstId: 3_000_000,
      ageShift: 15,
    });
    const settled = await batchDrift(clients, { dataset, batch: 'b3', model, version: v2 });
    assert.equal(settled.alert, false, settled.reasons.join('; '));
    const d3 = await decision(dataset, model, 'b3');
    assert.deepEqual([d3.seq, d3.version, d3.retrain], [3, v2, false]);
    t.diagnostic(
      `monitoring: ${JSON.stringify({
        seconds: (Date.now() - started) / 1000,
        b1: same.drifts.map((d) => [d.column, +d.psi.toFixed(4), +d.ks.toFixed(4)]),
        b2: shifted.drifts.map((d) => [d.column, +d.psi.toFixed(4), +d.ks.toFixed(4)]),
        b2MseRatio: shifted.mse.ratio,
        challenge: {
          rows: ref.n,
          production: ref.mseProduction,
          candidate: ref.mseCandidate,
          z: ref.z,
          p: ref.p,
          seconds: report.seconds,
        },
        b3: settled.drifts.map((d) => [d.column, +d.psi.toFixed(4)]),
      })}`,
    );
  } finally {
    await s.close();
  }
});

test('every batch: a retrain on a small window does not beat production trained on more rows, and stays candidate with the reason', async (t) => {
  const s = await services({ policy: 'every', everyBatches: 1, window: 1 });
  const { config, dataset, model } = s;
  try {
    await publishBatch(clients, { dataset, batch: 'b0', rows: 40_000, seed: 11, firstId: 0 });
    await cleaned(clients, dataset, 'b0');
    await unscored(config);
    const v1 = await trainFirstVersion(clients, { dataset, model, batches: ['b0'] });
    await publishBatch(clients, { dataset, batch: 'b1', rows: 8_000, seed: 12, firstId: 1_000_000 });
    const drift = await batchDrift(clients, { dataset, batch: 'b1', model, version: v1 });
    assert.equal(drift.alert, false, drift.reasons.join('; '));
    const d1 = await decision(dataset, model, 'b1');
    assert.deepEqual([d1.retrain, d1.reason], [true, 'batch 1 of the model: every 1 batches']);
    const v2 = await jobVersion(clients, d1.job!.job);
    const { report, ref } = await checkAgainstSciPy(dataset, model, 'b1', v1, v2);
    assert.equal(report.decision, 'kept as candidate');
    assert.match(report.reason, /^not better beyond noise \(lower bound ≤ 0\)/);
    const aliases = await registry.aliases(model);
    assert.deepEqual([aliases[PRODUCTION], aliases[CANDIDATE]], [v1, v2]);
    const described = (await registry.describe(model)).find((v) => v.version === v2)!;
    assert.deepEqual(
      described.challenges.map((c) => c.path),
      [report.path],
    );
    t.diagnostic(
      `kept: ${JSON.stringify({ rows: ref.n, production: ref.mseProduction, candidate: ref.mseCandidate, z: ref.z, p: ref.p, seconds: report.seconds })}`,
    );
  } finally {
    await s.close();
  }
});
