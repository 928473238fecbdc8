import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distinctRows } from './distinct-rows';

test('distinctRows maps every row to its distinct feature vector', () => {
  const age = Float64Array.from([30, 18, 30, 64, 18, 30]);
  const active = Float64Array.from([1, 0, 1, 1, 0, 0]);
  const d = distinctRows([age, active], 6)!;
  assert.ok(d);
  assert.equal(d.unique[0]!.length, 4);
  for (let i = 0; i < 6; i++) {
    assert.equal(d.unique[0]![d.codes[i]!], age[i]);
    assert.equal(d.unique[1]![d.codes[i]!], active[i]);
  }
});

test('distinctRows declines non-integer features and too many combinations', () => {
  assert.equal(distinctRows([Float64Array.from([1.5, 2])], 2), null);
  const wide = Float64Array.from({ length: 1000 }, (_, i) => i * 1000);
  assert.equal(distinctRows([wide], 1000), null);
  assert.deepEqual(distinctRows([], 0)?.unique, []);
});
