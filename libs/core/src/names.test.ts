import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from './errors';
import { LakePaths } from './lake-paths';
import { assertName } from './names';

test('assertName accepts lake names and refuses anything that could escape a path', () => {
  assert.equal(assertName('dataset', 'employees_2024-a'), 'employees_2024-a');
  for (const bad of ['', '..', '../etc', 'a/b', 'A', '-x', 'x'.repeat(65), 'a b', 'é', 42, null]) {
    assert.throws(() => assertName('batch', bad), InvalidInputError, String(bad));
  }
});

test('lake paths follow the Hive layout and refuse unchecked names', () => {
  const p = new LakePaths('/lake');
  assert.equal(p.rawPartition('emp', 'b1', 7), '/lake/emp/raw/batch=b1/part-00007.parquet');
  assert.equal(p.cleanPartition('emp', 'b1', 12), '/lake/emp/clean/batch=b1/part-00012.parquet');
  assert.equal(p.predictions('emp', 'salary', 3, 'b1'), '/lake/emp/predictions/model=salary-v3/batch=b1');
  assert.throws(() => p.rawBatch('emp', '../x'), InvalidInputError);
  assert.throws(() => p.model('a/b', 1), InvalidInputError);
});
