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

  it('the fast path agrees with Date.parse over 1600 to 2400', () => {
    let x = 12345;
    const rand = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const p2 = (v: number) => String(v).padStart(2, '0');
    for (let k = 0; k < 20_000; k++) {
      const date = `${1600 + rand(800)}-${p2(1 + rand(12))}-${p2(1 + rand(31))}`;
      const time = `${p2(rand(24))}:${p2(rand(60))}:${p2(rand(60))}`;
      const want = Date.parse(`${date}T${time}Z`);
      const valid = new Date(want).toISOString().slice(0, 10) === date;
      const got = parseTimestampMicros(`${date} ${time}`);
      if (valid) assert.equal(got, want * 1000, `${date} ${time}`);
      else assert.ok(Number.isNaN(got), `${date} ${time} is not a date`);
      if (valid) assert.equal(parseTimestampMicros(date), Date.parse(`${date}T00:00:00Z`) * 1000, date);
    }
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
