import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramOf, psi, rangeEdges } from '@lakestream/drift';
import { driftVerdict } from './batch-drift';

const options = { psi: 0.2, ks: 0.1, mseRatio: 1.5 };
const ageEdges = rangeEdges({ from: 0, to: 120, step: 5 });
/** Ages 18–80 evenly, shifted by `shift`: one value per row. */
const ages = (n: number, shift = 0) => Float64Array.from({ length: n }, (_, i) => 18 + (i % 63) + shift);
const age = (n: number, shift = 0) => histogramOf('age', ageEdges, ages(n, shift));

test('a batch like the training data: every column compared, no reason, no alert', () => {
  const v = driftVerdict(
    {
      columns: ['age', 'salary'],
      reference: [age(6300)],
      current: [age(630)],
      liveMse: 1.1e8,
      testMse: 1e8,
    },
    options,
  );
  assert.deepEqual(
    v.drifts.map((d) => [d.column, d.psi, d.ks]),
    [['age', 0, 0]],
  );
  assert.equal(v.alert, false);
  assert.deepEqual(v.reasons, []);
  assert.deepEqual(v.notes, [
    'salary: no reference histogram, not compared',
    'prediction: no reference histogram, not compared',
  ]);
  assert.equal(v.mse.ratio, 1.1);
  assert.equal(v.mse.exceeded, false);
});

test('ages +15: PSI and KS both breach, the reasons name the column and the figures', () => {
  const v = driftVerdict(
    { columns: ['age'], reference: [age(6300)], current: [age(6300, 15)], liveMse: null, testMse: 1e8 },
    options,
  );
  const d = v.drifts[0]!;
  assert.equal(d.psi, psi(age(6300), age(6300, 15)));
  assert.ok(d.psi > 1 && d.ks > 0.2, `psi ${d.psi}, ks ${d.ks}`);
  assert.equal(v.alert, true);
  assert.deepEqual(v.reasons, [`age: psi ${d.psi.toFixed(4)} > 0.2`, `age: ks ${d.ks.toFixed(4)} > 0.1`]);
  assert.deepEqual(v.mse, { live: null, test: 1e8, ratio: null, exceeded: false });
});

test('salaries scaled: the live MSE beyond mseRatio × test MSE is an alert on its own', () => {
  const v = driftVerdict(
    { columns: ['age'], reference: [age(630)], current: [age(630)], liveMse: 4e8, testMse: 1e8 },
    options,
  );
  assert.equal(v.alert, true);
  assert.equal(v.mse.ratio, 4);
  assert.equal(v.mse.exceeded, true);
  assert.deepEqual(v.reasons, ['mse: live 4.00000e+8 is 4.00× the test MSE 1.00000e+8 (> 1.5)']);
});

test('the prediction histograms are compared like a column; other edges or empty sides are noted, not compared', () => {
  const p = (values: number[]) => histogramOf('prediction', [0, 10, 20, 30], Float64Array.from(values));
  const v = driftVerdict(
    {
      columns: ['age', 'is_active'],
      reference: [age(630), { column: 'is_active', edges: [0, 1, 2], counts: [5, 5] }],
      current: [
        histogramOf('age', [0, 50, 100], ages(630)),
        { column: 'is_active', edges: [0, 1, 2], counts: [0, 0] },
      ],
      referencePrediction: p([1, 2, 11, 12]),
      currentPrediction: p([21, 22, 23, 24]),
      liveMse: null,
      testMse: null,
    },
    options,
  );
  assert.deepEqual(v.notes, [
    'age: reference and batch binned on different edges, not compared',
    'is_active: an empty histogram (no values), not compared',
  ]);
  assert.deepEqual(
    v.drifts.map((d) => [d.column, d.ks]),
    [['prediction', 1]],
  );
  assert.equal(v.alert, true);
});
