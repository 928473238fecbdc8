import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInputError } from '@lakestream/core';
import { tableFromColumns } from './build';
import { float64Column, stringColumn } from './columns';
import { ColumnTypeError } from './errors';
import { readFooter } from './footer';
import { readParquetColumns } from './row-group-reader';
import { MemorySink, MemorySource } from './source';
import { writeParquet, writeParquetToSink } from './writer';

const n = 10_000;
const table = tableFromColumns({
  id: { kind: 'int64', values: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) },
  age: { kind: 'int32', values: Int32Array.from({ length: n }, (_, i) => 18 + (i % 60)) },
  salary: {
    kind: 'float64',
    values: Float64Array.from({ length: n }, (_, i) => i * 1.5),
    valid: Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 1)),
  },
  name: {
    kind: 'dictionary',
    codes: Uint8Array.from({ length: n }, (_, i) => i % 3),
    dictionary: ['a', 'b', 'c'],
  },
  joined: { kind: 'date', days: Int32Array.from({ length: n }, (_, i) => i) },
  signup: {
    kind: 'timestamp',
    unit: 'ms',
    values: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1000n),
  },
  active: { kind: 'bool', values: Uint8Array.from({ length: n }, (_, i) => i % 2) },
});

test('in-memory and streamed writes give the same row groups and values', async () => {
  const options = { rowGroupRows: 3000, compression: 'zstd' as const };
  const whole = writeParquet(table, options);
  const sink = new MemorySink();
  const result = await writeParquetToSink(table, sink, options);
  assert.equal(result.rows, n);
  assert.ok(sink.closed);
  assert.equal(result.bytes, sink.bytes().byteLength);
  for (const [name, bytes] of [
    ['whole', whole],
    ['streamed', sink.bytes()],
  ] as const) {
    const footer = await readFooter(new MemorySource(name, bytes));
    assert.deepEqual(
      footer.rowGroups.map((g) => g.numRows),
      [3000, 3000, 3000, 1000],
      name,
    );
    assert.ok(footer.rowGroups.every((g) => g.columns.every((c) => c.codec === 'ZSTD')));
    assert.equal(footer.rowGroups[1].columns[2]!.statistics?.nullCount, 300);
    const back = await readParquetColumns(new MemorySource(name, bytes));
    assert.deepEqual(float64Column(back, 'salary'), float64Column(table, 'salary'));
    assert.deepEqual(float64Column(back, 'signup').values, float64Column(table, 'signup').values);
    assert.deepEqual(float64Column(back, 'joined').values, float64Column(table, 'joined').values);
    assert.deepEqual(stringColumn(back, 'name'), stringColumn(table, 'name'));
  }
});

test('dictionary encoding is skipped for mostly distinct numeric columns unless asked for', async () => {
  const dictionaryPages = async (bytes: Uint8Array) =>
    (await readFooter(new MemorySource('d', bytes))).rowGroups[0]!.columns.map((c) => [
      c.name,
      c.hasDictionaryPage,
    ]);
  assert.deepEqual(await dictionaryPages(writeParquet(table)), [
    ['id', false],
    ['age', true],
    ['salary', false],
    ['name', true],
    ['joined', false],
    ['signup', false],
    ['active', false],
  ]);
  const forced = await dictionaryPages(writeParquet(table, { dictionary: true }));
  assert.deepEqual(
    forced.filter(([, d]) => d).map(([name]) => name),
    ['id', 'age', 'salary', 'name', 'joined', 'signup'],
  );
});

test('statistics can be turned off, and bad options are refused', async () => {
  const bytes = writeParquet(table, { statistics: 'none', compression: 'none' });
  const footer = await readFooter(new MemorySource('plain', bytes));
  assert.equal(footer.rowGroups.length, 1);
  assert.equal(footer.rowGroups[0].columns[0]!.codec, 'UNCOMPRESSED');
  assert.equal(footer.rowGroups[0].columns[0]!.statistics?.min, undefined);
  assert.throws(() => writeParquet(table, { rowGroupRows: 0 }), InvalidInputError);
  assert.throws(() => writeParquet(table, { compression: 'lzma' as never }), InvalidInputError);
  assert.throws(
    () =>
      tableFromColumns({
        a: { kind: 'int32', values: new Int32Array(2) },
        b: { kind: 'int32', values: new Int32Array(3) },
      }),
    ColumnTypeError,
  );
  assert.throws(
    () => tableFromColumns({ n: { kind: 'dictionary', codes: new Int32Array([0, 3]), dictionary: ['x'] } }),
    /outside the dictionary/,
  );
});
