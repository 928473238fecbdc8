import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { generatePartition } from './generate';
import { resolveOptions } from './options';

describe('options', () => {
  test('defaults: described, one partition, seed 42, today as the reference day', () => {
    const today = () => Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const before = today();
    const resolved = resolveOptions({ rows: 10 });
    assert.equal(resolved.profile, 'described');
    assert.equal(resolved.partitions, 1);
    assert.equal(resolved.seed, 42);
    assert.equal(resolved.studyChunkRows, 5_000_000);
    assert.ok(resolved.referenceDay === before || resolved.referenceDay === today());
    assert.equal(
      resolveOptions({ rows: 1, referenceDate: '2026-11-25T23:59:59Z' }).referenceDay,
      Date.UTC(2026, 10, 25),
    );
  });

  test('bad values are rejected with the field named', () => {
    const cases: [Parameters<typeof resolveOptions>[0], string][] = [
      [{ rows: -1 }, 'rows'],
      [{ rows: 1.5 }, 'rows'],
      [{ rows: 10, partitions: 0 }, 'partitions'],
      [{ rows: 10, seed: 2 ** 32 }, 'seed'],
      [{ rows: 10, referenceDate: 'not a date' }, 'referenceDate'],
      [{ rows: 10, profile: 'other' as 'study' }, 'profile'],
      [{ rows: 10, profile: 'study', quirks: true }, 'quirks'],
      [{ rows: 10, profile: 'study', firstId: 5 }, 'firstId'],
      [{ rows: 10, firstId: 2 ** 53 }, 'firstId'],
    ];
    for (const [options, field] of cases) {
      assert.throws(
        () => resolveOptions(options),
        (error: unknown) => error instanceof InvalidInputError && error.field === field,
        JSON.stringify(options),
      );
    }
    assert.throws(
      () => generatePartition({ rows: 10, partitions: 3, partition: 3 }),
      (error: unknown) => error instanceof InvalidInputError && error.field === 'partition',
    );
  });

  test('an empty batch has empty partitions', () => {
    const part = generatePartition({ rows: 0, partitions: 2, partition: 1, referenceDate: 0 });
    assert.equal(part.count, 0);
    assert.equal(part.id.length, 0);
  });
});
