import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { formatModelRef, parseModelRef } from './model-ref';

describe('parseModelRef', () => {
  it('reads a name, a version and an alias', () => {
    assert.deepEqual(parseModelRef('salary'), { name: 'salary' });
    assert.deepEqual(parseModelRef('salary@3'), { name: 'salary', version: 3 });
    assert.deepEqual(parseModelRef('salary@v12'), { name: 'salary', version: 12 });
    assert.deepEqual(parseModelRef('salary@production'), { name: 'salary', alias: 'production' });
  });
  it('refuses bad names, version 0 and odd aliases', () => {
    assert.throws(() => parseModelRef('Salary'), InvalidInputError);
    assert.throws(() => parseModelRef('salary@0'), /version/);
    assert.throws(() => parseModelRef('salary@prod/x'), InvalidInputError);
    assert.throws(() => parseModelRef('../x@1'), InvalidInputError);
  });
  it('round-trips a formatted reference', () => {
    assert.deepEqual(parseModelRef(formatModelRef('m', 7)), { name: 'm', version: 7 });
  });
});
