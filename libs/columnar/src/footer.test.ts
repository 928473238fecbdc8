import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LakeError } from '@lakestream/core';
import { runPython, tempDir } from '@lakestream/testkit';
import { ColumnNotFoundError, ParquetFormatError, RowGroupTooLargeError } from './errors';
import { readFooter } from './footer';
import { ParquetReader } from './row-group-reader';
import { LocalFileSource, MemorySource, type RandomAccessSource } from './source';
import { decodeStruct, encodeStruct } from './thrift-compact';

const dir = tempDir('columnar-footer-');
const opened: LocalFileSource[] = [];
/** A local source closed when the file's tests end. */
function local(path: string): LocalFileSource {
  const source = new LocalFileSource(path);
  opened.push(source);
  return source;
}
after(() => Promise.all(opened.map((s) => s.close())));
const file = join(dir, 'small.parquet');
/** pyarrow's view of each chunk's statistics: [min, max, null_count] as strings. */
const reference = JSON.parse(
  runPython(
    `
import sys, json, numpy as np, pyarrow as pa, pyarrow.parquet as pq
n = 3000; rng = np.random.default_rng(3); m = rng.random(n) < 0.2
t = pa.table({
  'id': pa.array(np.arange(n, dtype=np.int64) - 1500),
  'name': pa.array(['w%03d' % (i % 500) for i in range(n)], mask=m),
  'age': pa.array(rng.integers(18, 81, n, dtype=np.int32), mask=rng.random(n) < 0.1),
  'salary': pa.array(rng.normal(5e4, 1e4, n)),
  'is_active': pa.array(rng.random(n) < 0.5),
})
pq.write_table(t, sys.argv[1], row_group_size=1000, compression='none', use_dictionary=False)
md = pq.ParquetFile(sys.argv[1]).metadata
out = []
for g in range(md.num_row_groups):
  row = []
  for c in range(md.num_columns):
    s = md.row_group(g).column(c).statistics
    row.append([str(s.min), str(s.max), s.null_count])
  out.append(row)
print(json.dumps({'stats': out, 'rows': md.num_rows, 'names': [md.schema.column(i).path for i in range(md.num_columns)]}))
`,
    [file],
  ),
) as { stats: [string, string, number][][]; rows: number; names: string[] };

function show(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

test('the footer gives the schema, row groups and statistics pyarrow reports', async () => {
  const footer = await readFooter(local(file));
  assert.equal(footer.numRows, reference.rows);
  assert.deepEqual(
    footer.leaves.map((l) => l.name),
    reference.names,
  );
  assert.deepEqual(
    footer.leaves.map((l) => l.type),
    ['INT64', 'BYTE_ARRAY', 'INT32', 'DOUBLE', 'BOOLEAN'],
  );
  const ours = footer.rowGroups.map((g) =>
    g.columns.map((c) => [show(c.statistics?.min), show(c.statistics?.max), c.statistics?.nullCount]),
  );
  assert.deepEqual(ours, reference.stats);
});

async function rejectsWith(promise: Promise<unknown>, check: (e: ParquetFormatError) => void): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ParquetFormatError, `got ${String(error)}`);
    assert.equal(error.retriable, false);
    assert.ok(error.message.startsWith(error.file), error.message);
    check(error);
    return true;
  });
}

test('bad files: the error names the file and says why', async () => {
  const bytes = readFileSync(file);
  const text = join(dir, 'notes.parquet');
  writeFileSync(text, 'id,name\n1,Ana\n2,Bo\n3,Chloé\n');
  await rejectsWith(readFooter(local(text)), (e) => {
    assert.equal(e.file, text);
    assert.match(e.message, /not a Parquet file/);
  });
  await rejectsWith(
    readFooter(new MemorySource('cut.parquet', bytes.subarray(0, bytes.length - 100))),
    (e) => {
      assert.equal(e.file, 'cut.parquet');
      assert.match(e.message, /truncated/);
    },
  );
  await rejectsWith(readFooter(new MemorySource('tiny.parquet', bytes.subarray(0, 6))), (e) =>
    assert.match(e.message, /too short/),
  );
  const badLength = Buffer.from(bytes);
  badLength.writeUInt32LE(bytes.length, bytes.length - 8);
  await rejectsWith(readFooter(new MemorySource('len.parquet', badLength)), (e) =>
    assert.match(e.message, /footer length/),
  );
  const garbled = Buffer.from(bytes);
  const metaLength = bytes.readUInt32LE(bytes.length - 8);
  garbled.fill(0xff, bytes.length - 8 - metaLength, bytes.length - 8 - metaLength + 40);
  await rejectsWith(readFooter(new MemorySource('garbled.parquet', garbled)), (e) =>
    assert.match(e.message, /corrupt footer/),
  );
});

test('a missing column or a corrupt chunk is named with its row group', async () => {
  const reader = await ParquetReader.open(local(file));
  await assert.rejects(reader.readRowGroup(1, { columns: ['id', 'salry'] }), (error: unknown) => {
    assert.ok(error instanceof ColumnNotFoundError);
    assert.equal(error.rowGroup, 1);
    assert.equal(error.column, 'salry');
    assert.match(error.message, /small\.parquet, row group 1, column salry: no such column/);
    return true;
  });
  await reader.close();

  const bounded = await ParquetReader.open(local(file), { maxRowGroupBytes: 10_000 });
  const idBytes = bounded.footer.rowGroups[0].columns[0]!.uncompressedSize;
  assert.ok(idBytes < 10_000);
  assert.equal((await bounded.readRowGroup(0, { columns: ['id'] })).numRows, 1000);
  await assert.rejects(bounded.readRowGroup(0), RowGroupTooLargeError);

  const chunk = reader.footer.rowGroups[2].columns.find((c) => c.name === 'salary')!;
  const broken = Buffer.from(readFileSync(file));
  broken.fill(0xff, chunk.offset, chunk.offset + 24); // the first page header
  const bad = await ParquetReader.open(new MemorySource('broken.parquet', broken));
  const ok = await bad.readRowGroup(1, { columns: ['id', 'salary'] });
  assert.equal(ok.numRows, 1000);
  await rejectsWith(bad.readRowGroup(2, { columns: ['id', 'salary', 'age'] }), (e) => {
    assert.equal(e.file, 'broken.parquet');
    assert.equal(e.rowGroup, 2);
    assert.equal(e.column, 'salary');
  });
  await bad.close();
});

test('a failing source keeps its own error, so outages stay retriable', async () => {
  const inner = local(file);
  const footer = await readFooter(inner);
  const outage = new LakeError('DataNode unreachable', { retriable: true });
  const flaky: RandomAccessSource = {
    name: file,
    size: () => inner.size(),
    read: (offset, length) =>
      offset < footer.tail.offset ? Promise.reject(outage) : inner.read(offset, length),
  };
  const reader = await ParquetReader.open(flaky, { prefetchBytes: 64 });
  await assert.rejects(reader.readRowGroup(0, { columns: ['age'] }), (error: unknown) => error === outage);
  await reader.close();

  // Iterating: the groups before the failing one arrive, then the source's own error.
  const third = footer.rowGroups[2].columns[0]!.offset;
  const dataEnd = Math.max(...footer.rowGroups[2]!.columns.map((c) => c.offset + c.length));
  const late: RandomAccessSource = {
    name: file,
    size: () => inner.size(),
    read: (offset, length) =>
      offset >= third && offset < dataEnd ? Promise.reject(outage) : inner.read(offset, length),
  };
  const seen: number[] = [];
  const iterate = async () => {
    const reader = await ParquetReader.open(late, { prefetchBytes: 64 });
    for await (const { index } of reader.rowGroups()) seen.push(index);
  };
  await assert.rejects(iterate(), (error: unknown) => error === outage);
  assert.deepEqual(seen, [0, 1]);
  await inner.close();
});

test('the Thrift compact codec re-encodes a footer byte for byte', () => {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(bytes.length - 8);
  const meta = bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
  const { value, end } = decodeStruct(meta);
  assert.equal(end, length);
  assert.deepEqual(encodeStruct(value), new Uint8Array(meta));
});
