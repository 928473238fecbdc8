import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '@lakestream/testkit';
import { mae, mse, r2, rmse } from './metrics';

test('metrics match scikit-learn', () => {
  const t = [3, -0.5, 2, 7, 4.25, 10];
  const p = [2.5, 0.0, 2, 8, 4, 9.5];
  const ref = JSON.parse(
    runPython(
      `import json, sys
from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score
t, p = json.loads(sys.argv[1])
print(json.dumps([mean_squared_error(t, p), mean_absolute_error(t, p), r2_score(t, p), r2_score([1, 1], [1, 1]), r2_score([1, 1], [1, 2])]))`,
      [JSON.stringify([t, p])],
    ),
  );
  assert.ok(Math.abs(mse(t, p) - ref[0]) < 1e-12);
  assert.ok(Math.abs(rmse(t, p) - Math.sqrt(ref[0])) < 1e-12);
  assert.ok(Math.abs(mae(t, p) - ref[1]) < 1e-12);
  assert.ok(Math.abs(r2(t, p) - ref[2]) < 1e-12);
  assert.equal(r2([1, 1], [1, 1]), ref[3]);
  assert.equal(r2([1, 1], [1, 2]), ref[4]);
  assert.throws(() => mse([], []), /at least one/);
  assert.throws(() => mse([1], [1, 2]), /1 true values, 2 predictions/);
});
