import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromColumns } from './build';
import { float64Column } from './columns';
import { readFooter } from './footer';
import { ParquetReader, readParquetColumns } from './row-group-reader';
import { CountingSource, MemorySource } from './source';
import { writeParquet } from './writer';

const n = 5000;
const table = tableFromColumns({
  id: { kind: 'int64', values: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) },
  x: { kind: 'float64', values: Float64Array.from({ length: n }, (_, i) => Math.sin(i)) },
  flag: { kind: 'bool', values: Uint8Array.from({ length: n }, (_, i) => i & 1) },
});

test('a footer bigger than the first read takes exactly one more read', async () => {
  const bytes = writeParquet(table, { rowGroupRows: 10 }); // 500 row groups: a large footer
  const source = new CountingSource(new MemorySource('many-groups.parquet', bytes));
  const footer = await readFooter(source, { prefetchBytes: 1024 });
  assert.equal(footer.rowGroups.length, 500);
  assert.equal(source.requests, 2);
  const metadataLength = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8).getUint32(0, true);
  assert.equal(source.bytesRead, metadataLength + 8);
  assert.ok(metadataLength > 1024);
});

test('page indexes (statistics per page) do not disturb projected reads', async () => {
  const bytes = writeParquet(table, { statistics: 'page', rowGroupRows: 2000 });
  const reader = await ParquetReader.open(new MemorySource('paged.parquet', bytes));
  const part = await reader.readRowGroup(2, { columns: ['x'] });
  assert.equal(part.numRows, 1000);
  assert.deepEqual(float64Column(part, 'x').values, float64Column(table, 'x').values.subarray(4000));
});

test('a file without rows reads as an empty table with its schema', async () => {
  const empty = tableFromColumns({
    id: { kind: 'int64', values: new BigInt64Array(0) },
    x: { kind: 'float64', values: new Float64Array(0) },
  });
  const bytes = writeParquet(empty);
  const back = await readParquetColumns(new MemorySource('empty.parquet', bytes), { columns: ['x'] });
  assert.equal(back.numRows, 0);
  assert.deepEqual(
    back.schema.fields.map((f) => `${f.name}: ${f.type}`),
    ['x: Float64'],
  );
});
