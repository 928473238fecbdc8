import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from './errors';
import { assertName } from './names';

test('assertName accepts lake names and refuses anything that could escape a path', () => {
  assert.equal(assertName('dataset', 'employees_2024-a'), 'employees_2024-a');
  for (const bad of ['', '..', '../etc', 'a/b', 'A', '-x', 'x'.repeat(65), 'a b', 'é', 42, null]) {
    assert.throws(() => assertName('batch', bad), InvalidInputError, String(bad));
  }
});
