import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '@lakestream/testkit';
import { normalCdf, normalQuantile, normalUpperTail } from './normal';

const xs = [
  -40, -12, -8.5, -7.2, -5, -3.1, -1.96, -1, -0.3, 0, 0.25, 1, 1.6448536269514722, 2.5, 4, 7, 7.5, 9, 20, 38,
];
const ps = [
  1e-300,
  1e-12,
  1e-6,
  0.001,
  0.01,
  0.02425,
  0.025,
  0.05,
  0.3,
  0.5,
  0.7,
  0.9,
  0.95,
  0.975,
  0.99,
  0.999,
  1 - 1e-9,
];

/** Relative error, with an absolute floor for values that underflow to 0 on one side. */
const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(
    got === want || Math.abs(got - want) <= rel * Math.abs(want) + 1e-300,
    `${what}: ${got} vs SciPy ${want} (rel ${Math.abs(got - want) / Math.abs(want)})`,
  );

test('cdf, upper tail and quantile equal SciPy (scipy.stats.norm cdf, sf, ppf)', () => {
  const ref = JSON.parse(
    runPython(
      `
import json, sys
from scipy.stats import norm
xs, ps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({"cdf": [float(norm.cdf(x)) for x in xs], "sf": [float(norm.sf(x)) for x in xs], "ppf": [float(norm.ppf(p)) for p in ps]}))
`,
      [JSON.stringify(xs), JSON.stringify(ps)],
    ),
  ) as { cdf: number[]; sf: number[]; ppf: number[] };
  xs.forEach((x, i) => {
    close(normalCdf(x), ref.cdf[i]!, 1e-13, `cdf(${x})`);
    close(normalUpperTail(x), ref.sf[i]!, 1e-13, `sf(${x})`);
  });
  ps.forEach((p, i) => {
    close(normalQuantile(p), ref.ppf[i]!, 1e-12, `ppf(${p})`);
  });
});

test('the quantile inverts the cdf; the edges are infinite and a p outside [0, 1] is refused', () => {
  for (const p of [0.001, 0.2, 0.5, 0.8, 0.95]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-15);
  assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
  assert.equal(normalQuantile(1), Number.POSITIVE_INFINITY);
  assert.throws(() => normalQuantile(1.5), /p must lie in \[0, 1\]/);
  assert.ok(Number.isNaN(normalCdf(Number.NaN)));
});
