import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '@lakestream/testkit';
import { StandardScaler, mergeMoments, moments } from './scaler';

const a = Float64Array.from([18, 25, 33, 47, 52, 61, 80, 19, 44, 29]);
const b = Float64Array.from([0, 1, 1, 0, 1, 0, 0, 1, 1, 1]);
const c = Float64Array.from([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);

test('StandardScaler matches scikit-learn (population std, constant column scale 1)', () => {
  const s = StandardScaler.fit({ nRows: 10, columns: [a, b, c] });
  const out = s.transform({ nRows: 10, columns: [a, b, c] });
  const ref = JSON.parse(
    runPython(
      `import json, sys, numpy as np
from sklearn.preprocessing import StandardScaler
X = np.array(json.loads(sys.argv[1])).T
s = StandardScaler().fit(X)
print(json.dumps({'mean': s.mean_.tolist(), 'scale': s.scale_.tolist(), 'out': s.transform(X).T.tolist()}))`,
      [JSON.stringify([Array.from(a), Array.from(b), Array.from(c)])],
    ),
  );
  s.mean.forEach((m, i) => {
    assert.ok(Math.abs(m - ref.mean[i]) < 1e-12);
  });
  s.scale.forEach((v, i) => {
    assert.ok(Math.abs(v - ref.scale[i]) < 1e-12);
  });
  out.columns.forEach((col, f) => {
    for (let i = 0; i < 10; i++) assert.ok(Math.abs(col[i] - ref.out[f][i]) < 1e-12);
  });
});

test('merged partition moments equal the moments of the whole column, in any order', () => {
  const whole = moments(a);
  const parts = [a.subarray(0, 3), a.subarray(3, 4), a.subarray(4, 10)].map(moments);
  const m1 = parts.reduce(mergeMoments);
  const m2 = [parts[2], parts[0], parts[1]].reduce(mergeMoments);
  for (const m of [m1, m2]) {
    assert.equal(m.count, 10);
    assert.ok(Math.abs(m.mean - whole.mean) < 1e-12);
    assert.ok(Math.abs(m.m2 - whole.m2) < 1e-9);
  }
  const fromSums = StandardScaler.fromStats([
    { count: 10, sum: a.reduce((s, v) => s + v, 0), sumSq: a.reduce((s, v) => s + v * v, 0) },
  ]);
  const fromRows = StandardScaler.fit({ nRows: 10, columns: [a] });
  assert.ok(Math.abs(fromSums.scale[0] - fromRows.scale[0]) < 1e-9);
  assert.deepEqual(StandardScaler.fromJSON(JSON.parse(JSON.stringify(fromRows))).toJSON(), fromRows.toJSON());
});

test('a scaler refuses empty statistics and malformed JSON', () => {
  assert.throws(() => StandardScaler.fromStats([{ count: 0, mean: 0, m2: 0 }]), /0 rows/);
  assert.throws(() => StandardScaler.fit({ nRows: 0, columns: [[]] }), /0 rows/);
  assert.throws(() => StandardScaler.fromJSON({ mean: [1], scale: [0] }), /positive/);
  assert.throws(() => StandardScaler.fromJSON({ mean: ['x'], scale: [1] }), /finite numbers/);
});
