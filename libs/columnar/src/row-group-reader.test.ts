import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { float64Column } from './columns';
import { ParquetReader } from './row-group-reader';
import { CountingSource, LocalFileSource } from './source';

const ROWS = 1_000_000;

/** A 1M-row partition of the study's schema, written by pyarrow; returns what pyarrow reports of it. */
function studyPartition(path: string): {
  chunks: { rowGroup: number; column: string; offset: number; length: number }[];
  idSum: string;
  salarySum: number;
  groups: number;
} {
  return JSON.parse(
    runPython(
      `
import sys, json, numpy as np, pyarrow as pa, pyarrow.parquet as pq
n = int(sys.argv[2]); rng = np.random.default_rng(1)
names = np.array(['Ana', 'Bo', 'Chloé', 'Dan', 'Eve'], dtype=object)
t = pa.table({
  'id': pa.array(np.arange(n, dtype=np.int64) * 3 + 11),
  'name': pa.array(names[rng.integers(0, 5, n)]),
  'age': pa.array(rng.integers(18, 65, n, dtype=np.int32)),
  'salary': pa.array(rng.uniform(30000, 120000, n)),
  'signup_date': pa.array(rng.integers(1.4e15, 1.7e15, n), type=pa.timestamp('us')),
  'is_active': pa.array(rng.random(n) < 0.7),
})
pq.write_table(t, sys.argv[1], row_group_size=250000)
md = pq.ParquetFile(sys.argv[1]).metadata
chunks = []
for g in range(md.num_row_groups):
  for c in range(md.num_columns):
    col = md.row_group(g).column(c)
    start = col.dictionary_page_offset if col.has_dictionary_page else col.data_page_offset
    chunks.append({'rowGroup': g, 'column': col.path_in_schema, 'offset': start, 'length': col.total_compressed_size})
print(json.dumps({'chunks': chunks, 'idSum': str(int(pa.compute.sum(t['id']).as_py())),
  'salarySum': float(np.sum(t['salary'].to_numpy())), 'groups': md.num_row_groups}))
`,
      [path, String(ROWS)],
    ),
  );
}

test('reading two columns of a 1M-row partition fetches only the footer and their chunks', async () => {
  const path = join(tempDir('columnar-ranges-'), 'part-00000.parquet');
  const reference = studyPartition(path);
  const source = new CountingSource(new LocalFileSource(path));
  const prefetchBytes = 16 * 1024;
  const reader = await ParquetReader.open(source, { prefetchBytes });
  const fileSize = reader.footer.fileSize;

  // Our footer agrees with pyarrow's metadata about every chunk's byte range.
  const ours = reader.footer.rowGroups.flatMap((g) =>
    g.columns.map((c) => ({ rowGroup: g.index, column: c.name, offset: c.offset, length: c.length })),
  );
  assert.deepEqual(ours, reference.chunks);
  assert.equal(reader.numRows, ROWS);
  assert.ok(reference.groups >= 4);
  const footerBytes = source.bytesRead;
  assert.ok(
    footerBytes <= prefetchBytes + (fileSize - reader.footer.tail.offset),
    'footer: at most two reads',
  );

  let idSum = 0n;
  let salarySum = 0;
  let rows = 0;
  for await (const { table } of reader.rowGroups({ columns: ['id', 'salary'] })) {
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      ['id', 'salary'],
    );
    for (const data of table.getChild('id')!.data) for (const v of data.values as BigInt64Array) idSum += v;
    const salary = float64Column(table, 'salary').values;
    for (let i = 0; i < salary.length; i++) salarySum += salary[i]!;
    rows += table.numRows;
  }
  await reader.close();
  await source.close();
  assert.equal(rows, ROWS);
  assert.equal(idSum.toString(), reference.idSum);
  assert.ok(Math.abs(salarySum - reference.salarySum) / reference.salarySum < 1e-12);

  // Every read after the footer lies inside a chunk of id or salary, and together they cover
  // exactly those chunks: no other column's bytes were fetched.
  const wanted = reference.chunks.filter((c) => c.column === 'id' || c.column === 'salary');
  const dataReads = source.reads.filter((r) => r.offset < reader.footer.tail.offset);
  for (const r of dataReads) {
    const inside = wanted.some((c) => r.offset >= c.offset && r.offset + r.length <= c.offset + c.length);
    assert.ok(inside, `read [${r.offset}, ${r.offset + r.length}) is outside the id and salary chunks`);
  }
  const wantedBytes = wanted.reduce((s, c) => s + c.length, 0);
  const dataBytes = dataReads.reduce((s, r) => s + r.length, 0);
  assert.equal(dataBytes, wantedBytes);
  assert.equal(source.bytesRead, footerBytes + wantedBytes);
  assert.ok(source.bytesRead < fileSize * 0.6, `${source.bytesRead} of ${fileSize} bytes read`);
});
