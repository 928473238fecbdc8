import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binDataset } from './binning';
import { groupedPoissonSums } from './bootstrap';
import { RandomForestRegressor } from './forest';
import { drawGroupSums, planGroupBootstrap } from './group-bootstrap';
import { mse } from './metrics';
import { Rng } from './rng';
import { groupSums } from './row-sets';
import { STUDY_NOISE_SIGMA, studyData } from './study-data.fixture';

/** Three groups: two large ones with skewed and with uniform y, one of constant y; and a small one. */
function groups() {
  const sizes = [40_000, 25_000, 12_000, 300];
  const n = sizes.reduce((a, b) => a + b, 0);
  const groupOf = new Uint32Array(n);
  const y = new Float64Array(n);
  const rng = new Rng(3, 1);
  let r = 0;
  sizes.forEach((size, g) => {
    for (let i = 0; i < size; i++, r++) {
      groupOf[r] = g;
      const u = (rng.nextU32() + 0.5) / 4294967296;
      y[r] = g === 0 ? 1000 * -Math.log(u) : g === 1 ? 30_000 + 90_000 * u : g === 2 ? 42 : 5 * u;
    }
  });
  return { sizes, groupOf, y, nGroups: sizes.length };
}

/** Mean and variance over R bootstrap draws of each group statistic (k, Σw, Σw·y, Σw·y²). */
function moments(draw: (rng: Rng, out: Float64Array[]) => void, nGroups: number, R: number) {
  const sum = Array.from({ length: 4 }, () => new Float64Array(nGroups));
  const sq = Array.from({ length: 4 }, () => new Float64Array(nGroups));
  const out = groupSums(nGroups);
  for (let t = 0; t < R; t++) {
    draw(new Rng(11, t), out);
    for (let j = 0; j < 4; j++)
      for (let g = 0; g < nGroups; g++) {
        sum[j]![g]! += out[j][g]!;
        sq[j]![g]! += out[j][g]! ** 2;
      }
  }
  return sum.map((s, j) => ({
    mean: Array.from(s, (v) => v / R),
    variance: Array.from(s, (v, g) => (sq[j][g]! - (v * v) / R) / (R - 1)),
  }));
}

test('normal-limit group sums have the Poisson bootstrap mean and variance of every statistic, as the exact draws do', () => {
  const { sizes, groupOf, y, nGroups } = groups();
  const lambda = 1;
  const plan = planGroupBootstrap(groupOf, nGroups, y, undefined, lambda, 1000);
  assert.deepEqual(Array.from(plan.large), [0, 1, 2], 'the 300-row group is drawn row by row');
  const R = 600;
  const normal = moments((rng, out) => drawGroupSums(plan, rng, y, groupOf, out), nGroups, R);
  const exact = moments(
    (rng, out) => groupedPoissonSums(rng, groupOf, y, undefined, lambda, out),
    nGroups,
    R,
  );
  const p = 1 - Math.exp(-lambda);
  for (let g = 0; g < 3; g++) {
    const power = [0, 1, 2, 3, 4].map((k) => {
      let s = 0;
      for (let r = 0; r < y.length; r++) if (groupOf[r] === g) s += y[r]! ** k;
      return s;
    });
    // E and Var of Σ over the group's rows of 1[w>0], w, w·y, w·y² with w ~ Poisson(λ)
    const truth = [
      { mean: sizes[g]! * p, variance: sizes[g]! * p * (1 - p) },
      { mean: lambda * power[0]!, variance: lambda * power[0]! },
      { mean: lambda * power[1]!, variance: lambda * power[2]! },
      { mean: lambda * power[2]!, variance: lambda * power[4]! },
    ];
    for (let j = 0; j < 4; j++) {
      const { mean, variance } = truth[j]!;
      for (const [name, m] of [
        ['normal', normal],
        ['exact', exact],
      ] as const) {
        const got = m[j]!;
        const se = Math.sqrt(variance / R);
        const label = `${name} group ${g} statistic ${j}`;
        if (variance === 0) {
          assert.ok(Math.abs(got.mean[g]! - mean) <= 1e-9 * Math.abs(mean), label);
          continue;
        }
        assert.ok(Math.abs(got.mean[g]! - mean) < 4.5 * se, `${label}: mean ${got.mean[g]} vs ${mean}`);
        // the sample variance of R draws is within ~4.5·√(2/R) ≈ 26% of the truth
        assert.ok(
          Math.abs(got.variance[g]! / variance - 1) < 0.26,
          `${label}: variance ${got.variance[g]} vs ${variance}`,
        );
      }
    }
  }
  // a constant target stays exact: Σw·y = 42·Σw and Σw·y² = 42²·Σw in every draw
  const out = groupSums(nGroups);
  drawGroupSums(plan, new Rng(1, 2), y, groupOf, out);
  assert.ok(Math.abs(out[2][2]! - 42 * out[1][2]!) < 1e-6 * out[2][2]!);
  assert.ok(Math.abs(out[3][2]! - 42 * 42 * out[1][2]!) < 1e-6 * out[3][2]!);
});

test('groups under minRows draw row by row: the same sums as the exact pass, on a row subset too', () => {
  const { groupOf, y, nGroups } = groups();
  const rows = Uint32Array.from({ length: y.length }, (_, i) => i).filter((i) => i % 3 !== 0);
  for (const subset of [undefined, rows]) {
    const m = subset ? subset.length : y.length;
    const plan = planGroupBootstrap(groupOf, nGroups, y, subset, 0.8, m + 1);
    assert.equal(plan.large.length, 0);
    const a = groupSums(nGroups);
    const b = groupSums(nGroups);
    drawGroupSums(plan, new Rng(5, 1), y, groupOf, a);
    groupedPoissonSums(new Rng(5, 1), groupOf, y, subset, 0.8, b);
    assert.deepEqual(a, b);
  }
});

test('a forest on grouped rows with normal-limit group sums predicts as well as with exact Poisson draws', async () => {
  const train = studyData(300_000, 21);
  const test = studyData(100_000, 22);
  const data = binDataset({ nRows: 300_000, columns: [train.age, train.isActive] });
  assert.ok(data.groups, 'age × is_active: 126 groups of ~2,400 rows');
  const params = { nEstimators: 30, maxDepth: 10, bootstrapMethod: 'poisson' as const, nJobs: 1 };
  const fits = await Promise.all(
    [null, 1000].map((minRows) =>
      new RandomForestRegressor({ ...params, randomState: 4, poissonNormalMinRows: minRows }).fitBinned(
        data,
        train.salary,
      ),
    ),
  );
  const [exact, normal] = fits.map((rf) => mse(test.salary, rf!.predict([test.age, test.isActive])));
  const noise = STUDY_NOISE_SIGMA ** 2;
  assert.ok(exact! / noise < 1.005, `exact ${exact! / noise}`);
  assert.ok(normal! / noise < 1.005, `normal ${normal! / noise}`);
  assert.ok(Math.abs(normal! / exact! - 1) < 0.002, `normal ${normal} vs exact ${exact}`);
  assert.throws(
    () => new RandomForestRegressor({ poissonNormalMinRows: 1000 }),
    /poissonNormalMinRows needs bootstrapMethod: 'poisson'/,
  );
  assert.throws(
    () => new RandomForestRegressor({ bootstrapMethod: 'poisson', poissonNormalMinRows: 0.5 }),
    /poissonNormalMinRows must be an integer ≥ 1, got 0.5/,
  );
});
