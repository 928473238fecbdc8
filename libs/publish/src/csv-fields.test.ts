import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferCsvType, parseBool, parseFloat64, parseInteger, parseTimestampMicros } from './csv-fields';

describe('CSV field parsers', () => {
  it('integers, including integral floats as pandas writes nullable ints', () => {
    assert.equal(parseInteger('42'), 42);
    assert.equal(parseInteger('-7'), -7);
    assert.equal(parseInteger('34.0'), 34);
    assert.ok(Number.isNaN(parseInteger('34.5')));
    assert.ok(Number.isNaN(parseInteger('abc')));
    assert.ok(Number.isNaN(parseInteger(' 3')));
  });

  it('floats are finite numbers', () => {
    assert.equal(parseFloat64('1.5e3'), 1500);
    assert.ok(Number.isNaN(parseFloat64('Infinity')));
    assert.ok(Number.isNaN(parseFloat64('12,5')));
  });

  it('timestamps: dates, date-times with seconds and microseconds, T and Z; calendar checked', () => {
    const us = (iso: string) => Date.parse(iso) * 1000;
    assert.equal(parseTimestampMicros('2024-02-29'), us('2024-02-29T00:00:00Z'));
    assert.equal(parseTimestampMicros('2024-02-29 13:45:10'), us('2024-02-29T13:45:10Z'));
    assert.equal(parseTimestampMicros('2024-02-29T13:45:10.123456'), us('2024-02-29T13:45:10Z') + 123456);
    assert.equal(parseTimestampMicros('2024-02-29T13:45:10.5Z'), us('2024-02-29T13:45:10Z') + 500000);
    assert.equal(parseTimestampMicros('1969-12-31 23:59:59'), -1_000_000);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01 25:00:00', '01/02/2024', 'yesterday'])
      assert.ok(Number.isNaN(parseTimestampMicros(bad)), bad);
  });

  it('booleans', () => {
    for (const t of ['true', 'True', 'TRUE', '1', 't', 'yes']) assert.equal(parseBool(t), 1, t);
    for (const f of ['false', 'False', '0', 'f', 'no']) assert.equal(parseBool(f), 0, f);
    assert.equal(parseBool('maybe'), -1);
  });

  it('infers the narrowest type of a sample', () => {
    assert.equal(inferCsvType(['1', '2', '']), 'int64');
    assert.equal(inferCsvType(['1', '2.5']), 'float64');
    assert.equal(inferCsvType(['true', 'False']), 'bool');
    assert.equal(inferCsvType(['2024-01-01', '2024-01-02 10:00:00']), 'timestamp');
    assert.equal(inferCsvType(['2024-01-01', 'x']), 'string');
    assert.equal(inferCsvType(['', '']), 'empty');
  });
});
