import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { addPairedErrors, emptyPairedErrors, mergePairedErrors } from './paired-errors';
import { judgePromotion } from './promotion';

/** Deterministic normal draws (mulberry32 + Box–Muller). */
function normals(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

/**
 * A salary-like target and two models' predictions: production off by `bias` with noise σ 10000,
 * the candidate off by `candidateBias`; the target's own noise is shared, as on real rows.
 */
function scenario(n: number, bias: number, candidateBias: number, seed: number) {
  const noise = normals(n, seed);
  const e1 = normals(n, seed + 1);
  const e2 = normals(n, seed + 2);
  const y = new Float64Array(n);
  const production = new Float64Array(n);
  const candidate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const truth = 40_000 + 2_200 * (i % 63);
    y[i] = truth + 10_000 * noise[i]!;
    production[i] = truth + bias + 500 * e1[i]!;
    candidate[i] = truth + candidateBias + 500 * e2[i]!;
  }
  return { y, production, candidate };
}

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
const criterion = { confidence: 0.95, minRows: 1000, minImprovement: 0 };

interface Reference {
  n: number;
  mean: number;
  sd: number;
  lower: number;
  z: number;
  p: number;
  tP: number;
  mseP: number;
  mseC: number;
}

/** NumPy / SciPy on the same rows: the paired difference, its normal bound and the t-test's p-value. */
function reference(s: ReturnType<typeof scenario>): Reference {
  const file = join(tempDir(), 'paired.json');
  writeFileSync(file, JSON.stringify({ y: [...s.y], p: [...s.production], c: [...s.candidate] }));
  return JSON.parse(
    runPython(
      `
import json, sys
import numpy as np
from scipy import stats
d = json.load(open(sys.argv[1]))
y, p, c = (np.array(d[k]) for k in ("y", "p", "c"))
diff = (p - y) ** 2 - (c - y) ** 2
n, mean, sd = len(diff), diff.mean(), diff.std(ddof=1)
se = sd / np.sqrt(n)
print(json.dumps(dict(n=n, mean=mean, sd=sd, lower=mean - stats.norm.ppf(0.95) * se, z=mean / se,
  p=stats.norm.sf(mean / se), tP=stats.ttest_rel((p - y) ** 2, (c - y) ** 2, alternative="greater").pvalue,
  mseP=float(((p - y) ** 2).mean()), mseC=float(((c - y) ** 2).mean()))))
`,
      [file],
    ),
  ) as Reference;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

test('paired errors merged over partitions equal one pass, and NumPy (mean, sd with ddof 1, MSEs)', () => {
  const s = scenario(5000, 3000, 0, 7);
  const whole = addPairedErrors(emptyPairedErrors(), s.y, s.production, s.candidate, all(5000));
  const parts = [0, 1200, 1201, 3800, 5000];
  let merged = emptyPairedErrors();
  for (let k = 0; k + 1 < parts.length; k++) {
    const rows = Uint32Array.from({ length: parts[k + 1]! - parts[k]! }, (_, i) => parts[k]! + i);
    merged = mergePairedErrors(
      merged,
      addPairedErrors(emptyPairedErrors(), s.y, s.production, s.candidate, rows),
    );
  }
  const ref = reference(s);
  for (const got of [whole, merged]) {
    assert.equal(got.n, 5000);
    assert.ok(rel(got.mean, ref.mean) < 1e-12, `mean ${got.mean} vs ${ref.mean}`);
    assert.ok(rel(Math.sqrt(got.m2 / (got.n - 1)), ref.sd) < 1e-12);
    assert.ok(rel(got.sseProduction / got.n, ref.mseP) < 1e-12);
    assert.ok(rel(got.sseCandidate / got.n, ref.mseC) < 1e-12);
  }
});

test('a candidate better beyond noise is promoted; its bound, z and p equal SciPy and the t-test agrees', () => {
  const s = scenario(4000, 4000, 0, 11);
  const j = judgePromotion(
    addPairedErrors(emptyPairedErrors(), s.y, s.production, s.candidate, all(4000)),
    criterion,
  );
  const ref = reference(s);
  assert.equal(j.decision, 'promoted');
  assert.match(j.reason, /^better beyond noise: candidate MSE .* on 4000 rows/);
  assert.ok(rel(j.difference.lowerBound!, ref.lower) < 1e-9, `${j.difference.lowerBound} vs ${ref.lower}`);
  assert.ok(rel(j.difference.z!, ref.z) < 1e-9);
  assert.ok(rel(j.difference.pValue!, ref.p) < 1e-6, `${j.difference.pValue} vs ${ref.p}`);
  assert.ok(ref.tP < 0.05 && ref.lower > 0);
  assert.ok(rel(j.relativeImprovement!, (ref.mseP - ref.mseC) / ref.mseP) < 1e-9);
});

test('equal models and a gain within noise stay candidates, as the t-test says; a worse one too', () => {
  for (const [bias, candidateBias, seed] of [
    [0, 0, 3],
    [300, 0, 5],
    [0, 2500, 9],
  ] as const) {
    const s = scenario(2000, bias, candidateBias, seed);
    const j = judgePromotion(
      addPairedErrors(emptyPairedErrors(), s.y, s.production, s.candidate, all(2000)),
      criterion,
    );
    const ref = reference(s);
    assert.equal(j.decision, 'kept as candidate', `bias ${bias}/${candidateBias}: ${j.reason}`);
    assert.match(j.reason, /^not better beyond noise \(lower bound ≤ 0\)/);
    assert.ok(ref.tP >= 0.05, `SciPy's paired t-test agrees (p ${ref.tP})`);
    assert.ok(Math.abs(j.difference.pValue! - ref.p) < 1e-9);
  }
});

test('too few rows or a gain below minImprovement: kept, saying which; identical errors are no gain', () => {
  const s = scenario(4000, 4000, 0, 13);
  const errors = addPairedErrors(emptyPairedErrors(), s.y, s.production, s.candidate, all(4000));
  const few = judgePromotion(errors, { ...criterion, minRows: 5000 });
  assert.equal(few.decision, 'kept as candidate');
  assert.match(few.reason, /only 4000 comparable labelled rows \(fewer than minRows 5000\)/);
  const small = judgePromotion(errors, { ...criterion, minImprovement: 0.5 });
  assert.equal(small.decision, 'kept as candidate');
  assert.match(small.reason, /better beyond noise but by less than minImprovement 50\.00 %/);
  const same = addPairedErrors(emptyPairedErrors(), s.y, s.production, s.production, all(4000));
  const j = judgePromotion(same, criterion);
  assert.deepEqual(
    [j.decision, j.difference.mean, j.difference.z, j.difference.pValue],
    ['kept as candidate', 0, 0, 0.5],
  );
});
