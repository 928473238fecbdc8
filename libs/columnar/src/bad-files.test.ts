import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { ParquetFormatError } from './errors';
import { ParquetReader, readParquetColumns } from './row-group-reader';
import { MemorySource } from './source';
import { escapeBytes } from './utf8-locate';

/** Files pyarrow writes that other tools read: an empty table, and strings that are not UTF-8. */
const dir = tempDir('columnar-bad-');
runPython(
  `
import sys, pyarrow as pa, pyarrow.parquet as pq
d = sys.argv[1]
pq.write_table(pa.table({'id': pa.array([], pa.int64()), 'name': pa.array([], pa.string())}), d + '/empty.parquet')
names = pa.array([b'Ana', None, b'Bo', b'Jos\\xe9', b'\\xff\\xfe'], pa.binary()).view(pa.string())
t = pa.table({'id': pa.array(range(5), pa.int64()), 'name': names})
pq.write_table(t, d + '/latin1.parquet', row_group_size=2)
pq.write_table(t.set_column(1, 'name', names.dictionary_encode()), d + '/latin1-dict.parquet', row_group_size=2)
`,
  [dir],
);
const source = (name: string) => new MemorySource(name, readFileSync(join(dir, name)));

test("pyarrow's empty table (one row group of 0 rows, data page offset 0) reads as an empty table", async () => {
  const reader = await ParquetReader.open(source('empty.parquet'));
  assert.equal(reader.numRowGroups, 1);
  assert.equal(reader.numRows, 0);
  const table = await readParquetColumns(source('empty.parquet'), { columns: ['name'] });
  assert.equal(table.numRows, 0);
  assert.deepEqual(
    table.schema.fields.map((f) => f.name),
    ['name'],
  );
});

for (const file of ['latin1.parquet', 'latin1-dict.parquet'])
  test(`a string column that is not UTF-8 names row group, column, row and bytes (${file})`, async () => {
    const reader = await ParquetReader.open(source(file));
    if (file === 'latin1.parquet') assert.equal((await reader.readRowGroup(0)).numRows, 2);
    // pyarrow writes the whole dictionary into every row group: group 0 (Ana, null) holds the bad entry unused.
    else
      await assert.rejects(
        reader.readRowGroup(0),
        /row group 0, column name: its dictionary holds a value that is not valid UTF-8, used by no row/,
      );
    await assert.rejects(
      reader.readRowGroup(1),
      (e: unknown) =>
        e instanceof ParquetFormatError &&
        e.message ===
          `${file}, row group 1, column name: row 1: "Jos\\xe9" is not valid UTF-8 (expected UTF-8 strings)`,
    );
    await assert.rejects(
      reader.readRowGroup(2, { columns: ['name'] }),
      /row group 2, column name: row 0: "\\xff\\xfe" is not valid UTF-8/,
    );
  });

test('escapeBytes shows printable ASCII as is and escapes the rest, bounded', () => {
  assert.equal(escapeBytes(Buffer.from('Jos\xe9\\', 'latin1')), 'Jos\\xe9\\x5c');
  assert.equal(escapeBytes(Buffer.alloc(40, 0x41)), `${'A'.repeat(32)}…`);
});
