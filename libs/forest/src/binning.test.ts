import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_BINS, binDataset } from './binning';
import { Rng } from './rng';

test('few distinct values: one bin each, edges at midpoints', () => {
  const d = binDataset({ nRows: 6, columns: [[18, 80, 18, 19, 33, 80]] });
  assert.deepEqual(Array.from(d.edges[0]), [18.5, 26, 56.5]);
  assert.deepEqual(Array.from(new Uint8Array(d.codes)), [0, 3, 0, 1, 2, 3]);
});

test('many distinct values: at most 256 bins, code ≤ b exactly when x ≤ edge b', () => {
  const rng = new Rng(1);
  const n = 300_000;
  const col = Float64Array.from({ length: n }, () => rng.nextU32() / 1000);
  const d = binDataset({ nRows: n, columns: [col] });
  const e = d.edges[0];
  assert.ok(e.length <= MAX_BINS - 1 && e.length > 200, `${e.length} edges`);
  const codes = new Uint8Array(d.codes);
  for (let i = 0; i < n; i += 97) {
    const b = codes[i];
    assert.ok(b === 0 || col[i] > e[b - 1]);
    assert.ok(b === e.length || col[i] <= e[b]);
    assert.ok(d.binMin[0][b] <= col[i] && col[i] <= d.binMax[0][b]);
  }
  // roughly equal-frequency bins
  const counts = new Array(e.length + 1).fill(0);
  for (const c of codes) counts[c]++;
  assert.ok(Math.max(...counts) < (3 * n) / counts.length, `largest bin ${Math.max(...counts)}`);
});

test('binning refuses NaN and empty input', () => {
  assert.throws(() => binDataset({ nRows: 2, columns: [[1, Number.NaN]] }), /NaN at row 1/);
  assert.throws(() => binDataset({ nRows: 0, columns: [[]] }), /empty/);
});
