import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPython } from '@lakestream/testkit';
import {
  binOf,
  compareHistograms,
  histogramOf,
  ksStatistic,
  mergeHistogramLists,
  mergeHistograms,
  OPEN_EDGE,
  psi,
  rangeEdges,
} from './index';

const h = (counts: number[], edges = counts.map((_, i) => i).concat(counts.length)) => ({
  column: 'x',
  edges,
  counts,
});

describe('histograms', () => {
  it('range edges add open under/overflow bins; values land by [lo, hi)', () => {
    const edges = rangeEdges({ from: 0, to: 120, step: 5 });
    assert.equal(edges.length, 27);
    assert.equal(edges[0], -OPEN_EDGE);
    assert.equal(edges[26], OPEN_EDGE);
    assert.equal(binOf(edges, -3), 0);
    assert.equal(binOf(edges, 0), 1);
    assert.equal(binOf(edges, 4.999), 1);
    assert.equal(binOf(edges, 5), 2);
    assert.equal(binOf(edges, 119.9), 24);
    assert.equal(binOf(edges, 120), 25);
    assert.equal(binOf(edges, Number.POSITIVE_INFINITY), 25);
    assert.equal(binOf(edges, Number.NaN), -1);
    assert.throws(() => rangeEdges({ from: 0, to: 10, step: 3 }), /multiple of step/);
  });

  it('counts rows and skips nulls; merging equals binning everything', () => {
    const edges = [0, 10, 20, 30];
    const values = Float64Array.from([1, 11, 12, 25, 40, -5, 15]);
    const valid = Uint8Array.from([1, 1, 1, 1, 1, 1, 0]);
    assert.deepEqual(histogramOf('x', edges, values, { valid }).counts, [2, 2, 2]);
    const rows = Uint32Array.from([0, 1, 2]);
    assert.deepEqual(histogramOf('x', edges, values, { rows }).counts, [1, 2, 0]);
    const a = histogramOf('x', edges, values.subarray(0, 3));
    const b = histogramOf('x', edges, values.subarray(3));
    assert.deepEqual(mergeHistograms([a, b]).counts, histogramOf('x', edges, values).counts);
    assert.throws(() => mergeHistograms([a, { ...b, edges: [0, 10, 20, 31] }]), /different column or edges/);
    const lists = mergeHistogramLists([[a, { ...a, column: 'y' }], [b]]);
    assert.deepEqual(
      lists.map((l) => [l.column, l.counts]),
      [
        ['x', [2, 3, 2]],
        ['y', [1, 2, 0]],
      ],
    );
  });
});

describe('PSI and KS', () => {
  it('hand-checked values', () => {
    // shares 0.5/0.5 vs 0.25/0.75: PSI = 0.25·ln 2 + 0.25·ln 1.5 = 0.27465; KS = 0.25
    assert.ok(Math.abs(psi(h([50, 50]), h([25, 75])) - (0.25 * Math.log(2) + 0.25 * Math.log(1.5))) < 1e-12);
    assert.equal(ksStatistic(h([50, 50]), h([25, 75])), 0.25);
    assert.equal(psi(h([10, 20, 0]), h([20, 40, 0])), 0);
    assert.equal(ksStatistic(h([10, 20, 0]), h([20, 40, 0])), 0);
    // disjoint: shares floored at 1e-4 → 2·(1 − 1e-4)·ln(1e4)
    assert.ok(Math.abs(psi(h([10, 0]), h([0, 10])) - 2 * (1 - 1e-4) * Math.log(1e4)) < 1e-9);
    assert.equal(ksStatistic(h([10, 0]), h([0, 10])), 1);
    const verdict = compareHistograms(h([50, 50]), h([25, 75]), { psi: 0.2, ks: 0.3 });
    assert.equal(verdict.drifted, true);
    assert.deepEqual(verdict.reasons, ['psi 0.2747 > 0.2']);
    assert.equal(compareHistograms(h([50, 50]), h([49, 51]), { psi: 0.2, ks: 0.1 }).drifted, false);
    assert.throws(() => psi(h([1, 1]), h([1, 1, 1])), /different edges/);
    assert.throws(() => psi(h([0, 0]), h([1, 1])), /empty/);
  });

  it('agree with NumPy (histogram, PSI) and SciPy (ks_2samp) on the same samples', () => {
    const out = runPython(`
import json, numpy as np
from scipy.stats import ks_2samp
rng = np.random.default_rng(7)
a = rng.integers(18, 81, 5000).astype(float)
b = rng.integers(25, 90, 3000).astype(float)
edges = np.arange(0, 121, 1.0)
ha, _ = np.histogram(a, edges); hb, _ = np.histogram(b, edges)
ra, rb = ha / ha.sum(), hb / hb.sum()
both = (ha > 0) | (hb > 0)
ra, rb = np.maximum(ra, 1e-4), np.maximum(rb, 1e-4)
psi = float(np.sum(((rb - ra) * np.log(rb / ra))[both]))
print(json.dumps({"a": a.tolist(), "b": b.tolist(), "edges": edges.tolist(), "ha": ha.tolist(), "hb": hb.tolist(),
  "psi": psi, "ks": float(ks_2samp(a, b).statistic)}))
`);
    const ref = JSON.parse(out) as {
      a: number[];
      b: number[];
      edges: number[];
      ha: number[];
      hb: number[];
      psi: number;
      ks: number;
    };
    const ha = histogramOf('age', ref.edges, Float64Array.from(ref.a));
    const hb = histogramOf('age', ref.edges, Float64Array.from(ref.b));
    // NumPy's last bin is closed ([119, 120]); no sample reaches it, so the counts must match.
    assert.deepEqual(ha.counts, ref.ha);
    assert.deepEqual(hb.counts, ref.hb);
    assert.ok(Math.abs(psi(ha, hb) - ref.psi) < 1e-12, `psi ${psi(ha, hb)} vs numpy ${ref.psi}`);
    // Integers in unit bins: the binned KS is the exact one.
    assert.ok(Math.abs(ksStatistic(ha, hb) - ref.ks) < 1e-12, `ks ${ksStatistic(ha, hb)} vs scipy ${ref.ks}`);
  });
});
