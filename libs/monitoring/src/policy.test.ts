import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelVersionMetadata } from '@lakestream/models';
import { planJob } from '@lakestream/training';
import { decideRetrain, retrainWindow } from './policy';
import { retrainJob, retrainJobId } from './retrain-job';

const facts = (seq: number, alert = false, running: string | null = null) => ({
  seq,
  alert,
  reasons: alert ? ['age: psi 1.9 > 0.2'] : [],
  running,
});

test('off never retrains; on-drift retrains on an alert only', () => {
  const off = { policy: 'off', everyBatches: 1, window: 3 } as const;
  assert.deepEqual(decideRetrain(off, facts(1, true)), { retrain: false, reason: 'retrain policy off' });
  const onDrift = { policy: 'on-drift', everyBatches: 5, window: 3 } as const;
  assert.deepEqual(decideRetrain(onDrift, facts(5)), { retrain: false, reason: 'no drift' });
  assert.deepEqual(decideRetrain(onDrift, facts(2, true)), {
    retrain: true,
    reason: 'drift: age: psi 1.9 > 0.2',
  });
});

test('every N retrains at batches N, 2N, … whatever the drift, and counts down in between', () => {
  const every = { policy: 'every', everyBatches: 3, window: 2 } as const;
  const decisions = [1, 2, 3, 4, 5, 6].map((seq) => decideRetrain(every, facts(seq, seq === 1)));
  assert.deepEqual(
    decisions.map((d) => d.retrain),
    [false, false, true, false, false, true],
  );
  assert.equal(decisions[0]!.reason, '2 batch(es) until the next scheduled retrain');
  assert.equal(decisions[5]!.reason, 'batch 6 of the model: every 3 batches');
});

test('a retrain still running holds off the next, saying which', () => {
  const onDrift = { policy: 'on-drift', everyBatches: 1, window: 1 } as const;
  const d = decideRetrain(onDrift, facts(4, true, 'salary-retrain-b3-0123456789'));
  assert.equal(d.retrain, false);
  assert.equal(
    d.reason,
    'drift: age: psi 1.9 > 0.2; but retrain job salary-retrain-b3-0123456789 is still running',
  );
  assert.equal(decideRetrain(onDrift, facts(4, false, 'x')).reason, 'no drift');
});

test('the window is the newest labelled batches up to the deciding one, oldest first', () => {
  const entries = [
    { seq: 1, batch: 'b1', labelled: true },
    { seq: 4, batch: 'b4', labelled: true },
    { seq: 2, batch: 'b2', labelled: false },
    { seq: 3, batch: 'b3', labelled: true },
    { seq: 5, batch: 'b5', labelled: true },
  ];
  assert.deepEqual(retrainWindow(entries, 4, 2), ['b3', 'b4']);
  assert.deepEqual(retrainWindow(entries, 4, 10), ['b1', 'b3', 'b4']);
  assert.deepEqual(retrainWindow(entries, 2, 1), ['b1']);
});

test("the retrain job repeats production's search on the window, under an id fixed by the batch", () => {
  const production = {
    name: 'salary',
    version: 3,
    dataset: 'employees',
    features: ['age', 'is_active'],
    target: 'salary',
    search: 'halving',
    space: { nEstimators: [20, 40], maxDepth: [8] },
    cvFolds: 4,
    testFraction: 0.25,
    seed: 7,
  } as unknown as ModelVersionMetadata;
  const job = retrainJob(production, { dataset: 'employees', batch: 'b9' }, ['b8', 'b9'], 'monitor', 1000);
  assert.deepEqual(
    { ...job, job: undefined },
    {
      job: undefined,
      dataset: 'employees',
      batches: ['b8', 'b9'],
      features: ['age', 'is_active'],
      target: 'salary',
      search: 'halving',
      space: '{"nEstimators":[20,40],"maxDepth":[8]}',
      cvFolds: 4,
      testFraction: 0.25,
      seed: 7,
      maxTrials: null,
      scoring: 'mse',
      model: 'salary',
      requestedAt: 1000,
      requestedBy: 'monitor',
    },
  );
  assert.equal(job.job, retrainJobId('salary', 'employees', 'b9'));
  assert.match(job.job, /^salary-retrain-b9-[0-9a-f]{10}$/);
  assert.notEqual(job.job, retrainJobId('salary', 'other', 'b9'));
  assert.equal(planJob(job).candidates.length, 2);
  // A model published outside a job (no search recorded): the study's grid, 3 folds, 20 % test.
  const external = retrainJob(
    { ...production, search: 'none', space: {}, cvFolds: 0, testFraction: 0 },
    { dataset: 'employees', batch: 'b9' },
    ['b9'],
    'monitor',
    1,
  );
  assert.deepEqual(
    [external.search, external.space, external.cvFolds, external.testFraction],
    ['grid', '', 3, 0.2],
  );
  assert.equal(planJob(external).candidates.length, 8);
  assert.ok(retrainJobId('m', 'd', 'x'.repeat(64)).length <= 128);
});
