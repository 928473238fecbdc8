import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ColumnSpec, tableFromColumns, writeParquet } from '@lakestream/columnar';
import { hashPartition } from '@lakestream/dataset';
import { Null, Table, vectorFromArray } from 'apache-arrow';
import { PartitionSpill } from './files-spill';
import { type BadRow, InputFileError } from './input-errors';
import { closeParquetInput, openParquetInput, readParquetFile } from './parquet-input';

const columns = (n: number, over: Record<string, ColumnSpec> = {}): Record<string, ColumnSpec> => ({
  id: { kind: 'int64', values: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 5 + 1)) },
  name: { kind: 'dictionary', codes: new Int32Array(n), dictionary: ['x'] },
  age: { kind: 'float64', values: Float64Array.from({ length: n }, (_, i) => (i === 3 ? 34.5 : 20 + i)) },
  salary: { kind: 'int32', values: Int32Array.from({ length: n }, (_, i) => 1000 + i) },
  signup_date: { kind: 'date', days: Int32Array.from({ length: n }, (_, i) => 19000 + i) },
  is_active: { kind: 'bool', values: Uint8Array.from({ length: n }, (_, i) => i % 2) },
  ...over,
});

describe('Parquet input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-input-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, cols: Record<string, ColumnSpec>) => {
    const path = join(dir, name);
    writeFileSync(path, writeParquet(tableFromColumns(cols), { rowGroupRows: 4 }));
    return path;
  };

  it('reads row groups into hash partitions, widening types; rows that do not fit are bad rows with row group and column', async () => {
    const path = write('ok.parquet', columns(10));
    const reader = await openParquetInput(path, 'ok.parquet', false);
    const spill = new PartitionSpill(dir, 2, 3);
    const bad: BadRow[] = [];
    try {
      const r = await readParquetFile(reader, 'ok.parquet', spill, (b) => bad.push(b));
      assert.deepEqual(r, { rows: 9, badRows: 1 });
      assert.deepEqual(bad, [
        { file: 'ok.parquet', rowGroup: 0, column: 'age', reason: 'row 3: 34.5 is not an int32' },
      ]);
      spill.flushAll();
      const ids: bigint[] = [];
      for (let p = 0; p < 2; p++) {
        const part = spill.read(p);
        for (let i = 0; i < part.rows; i++) {
          const row = part.table.get(i)!.toJSON() as Record<string, unknown>;
          assert.equal(hashPartition(row.id as bigint, 2), p);
          const k = (Number(row.id) - 1) / 5;
          assert.deepEqual(
            [row.name, row.age, row.salary, row.signup_date, row.is_active],
            ['x', 20 + k, 1000 + k, (19000 + k) * 86_400_000, k % 2 === 1],
          );
          ids.push(row.id as bigint);
        }
      }
      assert.equal(ids.length, 9);
    } finally {
      spill.close();
      await closeParquetInput(reader);
    }
  });

  it('refuses extra or missing columns and a column of the wrong type, naming file, row group and column', async () => {
    const extra = write('extra.parquet', {
      ...columns(2),
      bonus: { kind: 'int32', values: new Int32Array(2) },
    });
    await assert.rejects(
      openParquetInput(extra, 'extra.parquet', false),
      /extra\.parquet: unexpected column bonus/,
    );
    const reader = await openParquetInput(extra, 'extra.parquet', true);
    await closeParquetInput(reader);
    const { age: _age, ...noAge } = columns(2);
    await assert.rejects(
      openParquetInput(write('missing.parquet', noAge), 'missing.parquet', false),
      /missing column age/,
    );
    const wrong = write(
      'wrong.parquet',
      columns(2, { salary: { kind: 'dictionary', codes: new Int32Array(2), dictionary: ['a'] } }),
    );
    const r = await openParquetInput(wrong, 'wrong.parquet', false);
    const spill = new PartitionSpill(dir, 1);
    try {
      await assert.rejects(
        readParquetFile(r, 'wrong.parquet', spill, () => undefined),
        (e: unknown) => {
          assert.ok(e instanceof InputFileError);
          assert.match(
            e.message,
            /^wrong\.parquet, row group 0, column salary: expected float64, found Dictionary<Int32, Utf8> \(row 0: "a"\)$/,
          );
          return true;
        },
      );
    } finally {
      spill.close();
      await closeParquetInput(r);
    }
  });

  it("reads columns of Arrow's null type as nulls, a null-typed id as bad rows, and a file without rows as empty", async () => {
    const base = tableFromColumns(columns(3));
    const nulls = (n: number) =>
      vectorFromArray(
        Array.from({ length: n }, () => null),
        new Null(),
      );
    const path = join(dir, 'nulls.parquet');
    writeFileSync(
      path,
      writeParquet(base.assign(new Table({ name: nulls(3), age: nulls(3), is_active: nulls(3) }))),
    );
    const noIds = join(dir, 'no-ids.parquet');
    writeFileSync(noIds, writeParquet(base.assign(new Table({ id: nulls(3) }))));
    const empty = write('empty.parquet', columns(0));
    const spill = new PartitionSpill(dir, 1);
    const bad: BadRow[] = [];
    try {
      for (const [file, rows, badRows] of [
        [path, 3, 0],
        [noIds, 0, 3],
        [empty, 0, 0],
      ] as const) {
        const reader = await openParquetInput(file, 'f.parquet', false);
        try {
          assert.deepEqual(await readParquetFile(reader, 'f.parquet', spill, (b) => bad.push(b)), {
            rows,
            badRows,
          });
        } finally {
          await closeParquetInput(reader);
        }
      }
      assert.deepEqual(bad[0], {
        file: 'f.parquet',
        rowGroup: 0,
        column: 'id',
        reason: 'row 0: id is null (ids are required)',
      });
      spill.flushAll();
      const table = spill.read(0).table;
      assert.equal(table.numRows, 3);
      for (const column of ['name', 'age', 'is_active'])
        assert.equal(table.getChild(column)!.nullCount, 3, column);
      assert.equal(table.getChild('salary')!.nullCount, 0);
    } finally {
      spill.close();
    }
  });

  it('names a truncated file once, with what is wrong', async () => {
    const whole = writeParquet(tableFromColumns(columns(50)));
    const path = join(dir, 'truncated.parquet');
    writeFileSync(path, whole.subarray(0, whole.byteLength >> 1));
    await assert.rejects(openParquetInput(path, 'truncated.parquet', false), (e: unknown) => {
      assert.ok(e instanceof InputFileError);
      assert.equal(
        e.message,
        'truncated.parquet: not a readable Parquet file: no PAR1 magic at the end: the file is truncated',
      );
      return true;
    });
  });
});
