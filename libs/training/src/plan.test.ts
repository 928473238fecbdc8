import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingJob, TrialResult } from '@lakestream/contracts';
import { InvalidInputError } from '@lakestream/core';
import { meanScores } from './coordinator';
import { firstRung, nextRung, planJob, rungTrials } from './plan';
import { noSignalWarning } from './trial';

const job = (over: Partial<TrainingJob> = {}): TrainingJob => ({
  job: 'j1',
  dataset: 'employees',
  batches: ['b1'],
  features: ['age'],
  target: 'salary',
  search: 'grid',
  space: '',
  cvFolds: 3,
  testFraction: 0.2,
  seed: 42,
  maxTrials: null,
  scoring: 'mse',
  model: 'salary',
  requestedAt: 0,
  requestedBy: null,
  ...over,
});

const result = (trial: string, fold: number, score: number | null, rung = 0): TrialResult => ({
  job: 'j1',
  trial,
  fold,
  rung,
  status: score === null ? 'failed' : 'ok',
  score,
  trainMs: 1,
  rows: 10,
  worker: 'w',
  error: null,
  finishedAt: 0,
});

describe('planJob', () => {
  it("expands the study's grid by default: 8 candidates × 3 folds", () => {
    const plan = planJob(job());
    assert.equal(plan.candidates.length, 8);
    const specs = rungTrials(plan, firstRung(plan), 1);
    assert.equal(specs.length, 24);
    assert.deepEqual(new Set(specs.map((s) => `${s.trial}/${s.fold}`)).size, 24, 'every trial × fold once');
    assert.deepEqual(JSON.parse(specs[0]!.params), { nEstimators: 50, maxDepth: 10, minSamplesSplit: 2 });
    assert.ok(specs.every((s) => s.sampleFraction === 1 && s.rung === 0 && s.folds === 3));
  });

  it('accepts scikit-learn parameter names and caps the grid with maxTrials', () => {
    const plan = planJob(job({ space: '{"n_estimators":[5,10],"max_depth":[2,null]}', maxTrials: 3 }));
    assert.deepEqual(plan.candidates, [
      { nEstimators: 5, maxDepth: 2 },
      { nEstimators: 5, maxDepth: null },
      { nEstimators: 10, maxDepth: 2 },
    ]);
  });

  it('refuses unknown parameters, a target among the features and bad folds', () => {
    assert.throws(() => planJob(job({ space: '{"learning_rate":[1]}' })), /unknown parameter learning_rate/);
    assert.throws(() => planJob(job({ features: ['salary'] })), InvalidInputError);
    assert.throws(() => planJob(job({ cvFolds: 1 })), /cvFolds/);
    assert.throws(() => planJob(job({ job: '../x' })), /job id/);
  });

  it('random search samples distinct points of a declared space', () => {
    const plan = planJob(
      job({
        search: 'random',
        space: '{"nEstimators":{"type":"int","low":5,"high":50},"maxDepth":[3,null]}',
        maxTrials: 6,
      }),
    );
    assert.equal(plan.candidates.length, 6);
    for (const c of plan.candidates)
      assert.ok((c.nEstimators as number) >= 5 && (c.nEstimators as number) <= 50);
  });

  it('successive halving starts on a sample and promotes the best third', () => {
    const plan = planJob(
      job({ search: 'halving', space: '{"nEstimators":{"type":"int","low":5,"high":50}}', maxTrials: 9 }),
    );
    const r0 = firstRung(plan);
    assert.equal(plan.rungs, 3);
    assert.ok(r0.fraction < 1);
    const scores = new Map(r0.candidates.map((c) => [c, 100 - c]));
    const r1 = nextRung(plan, r0, scores)!;
    assert.deepEqual(r1.candidates, [8, 7, 6]);
    assert.equal(r1.fraction, Math.min(1, r0.fraction * 3));
    const r2 = nextRung(
      plan,
      r1,
      new Map([
        [8, 5],
        [7, 1],
        [6, 9],
      ]),
    )!;
    assert.deepEqual(r2.candidates, [7]);
    assert.equal(nextRung(plan, r2, new Map([[7, 1]])), undefined);
    assert.equal(nextRung(planJob(job()), firstRung(planJob(job())), new Map()), undefined);
  });
});

describe('meanScores', () => {
  it('averages folds per candidate and drops a candidate with a failed fold', () => {
    const scores = meanScores([
      result('p000', 0, 2),
      result('p000', 1, 4),
      result('p001', 0, 1),
      result('p001', 1, null),
    ]);
    assert.deepEqual([...scores], [[0, 3]]);
  });
});

describe('noSignalWarning', () => {
  it('warns when the model does not beat the mean beyond noise, not when it does', () => {
    assert.equal(noSignalWarning(0.5, 1, 10_000, 0.5), null);
    assert.match(noSignalWarning(0.999, 1, 10_000, 0.001)!, /no signal/);
    assert.match(noSignalWarning(1.01, 1, 10_000, -0.01)!, /R² = -0.0100/);
  });
});
