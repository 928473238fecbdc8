import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashPartition } from '@lakestream/dataset';
import { readCsvFile } from './csv-input';
import { PartitionSpill } from './files-spill';
import { type BadRow, InputFileError } from './input-errors';

const HEADER = 'id,name,age,salary,signup_date,is_active';

describe('readCsvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-input-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (text: string, partitions = 3, options = {}) => {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, text);
    const spill = new PartitionSpill(dir, partitions, 2);
    const bad: BadRow[] = [];
    try {
      const result = await readCsvFile(path, 'in.csv', spill, (r) => bad.push(r), options);
      spill.flushAll();
      const parts = Array.from({ length: partitions }, (_, p) => spill.read(p));
      return { result, bad, parts };
    } finally {
      spill.close();
    }
  };

  it('parses every type, nulls from empty fields, each row in its id hash partition', async () => {
    const csv = [
      'salary,id,name,age,signup_date,is_active', // columns in any order
      '50000.5,1,Ann,34,2024-01-02,true',
      ',2,,,,',
      '70000,3,"Lee, Bo",61.0,2020-06-30 12:00:01,0',
      '1e5,9007199254740993,Zoë,18,2019-01-01T00:00:00.000001,1',
    ].join('\n');
    const { result, bad, parts } = await read(csv);
    assert.deepEqual(bad, []);
    assert.equal(result.rows, 4);
    const rows = new Map<string, unknown[]>();
    parts.forEach((part, p) => {
      assert.equal(part.table.numRows, part.rows);
      for (let i = 0; i < part.rows; i++) {
        const r = part.table.get(i)!.toJSON() as Record<string, unknown>;
        assert.equal(hashPartition(r.id as bigint, 3), p, `id ${r.id}`);
        rows.set(String(r.id), [r.name, r.age, r.salary, r.signup_date, r.is_active]);
      }
    });
    assert.deepEqual(rows.get('1'), ['Ann', 34, 50000.5, Date.parse('2024-01-02T00:00:00Z'), true]);
    assert.deepEqual(rows.get('2'), [null, null, null, null, null]);
    assert.deepEqual(rows.get('3'), ['Lee, Bo', 61, 70000, Date.parse('2020-06-30T12:00:01Z'), false]);
    assert.deepEqual(rows.get('9007199254740993')?.slice(0, 3), ['Zoë', 18, 100000]);
    const big = parts.flatMap((p) => [...p.id]).find((id) => id > 2n ** 53n);
    assert.equal(big, 9007199254740993n);
  });

  it('reports bad rows with file, line and column', async () => {
    const csv = [
      HEADER,
      '1,Ann,34,50000,2024-01-02,true',
      '2,Bob,34,50000,2024-01-02', // ragged
      '3,Cy,thirty,50000,2024-01-02,true',
      ',Dee,40,1,2024-01-02,true',
      '5,Eve,40,1,2024-02-30,true',
      '6,Fay,40,1,2024-02-03,maybe',
      '7,Gus,40,12x,2024-02-03,false',
      '8,"""Quoted"" Hal",40,1,2024-02-03,false', // a name starting with an escaped quote is fine
      '9,"Ivy,40,1,2024-02-03,false', // never closed: swallows the rest of the file
      '10,Jo,40,1,2024-02-03,false',
    ].join('\n');
    const { result, bad } = await read(csv);
    assert.equal(result.rows, 2);
    assert.equal(result.badRows, 7);
    assert.deepEqual(
      bad.map((b) => [b.file, b.line, b.column]),
      [
        ['in.csv', 3, undefined],
        ['in.csv', 4, 'age'],
        ['in.csv', 5, 'id'],
        ['in.csv', 6, 'signup_date'],
        ['in.csv', 7, 'is_active'],
        ['in.csv', 8, 'salary'],
        ['in.csv', 10, undefined],
      ],
    );
    assert.match(bad[0]!.reason, /expected 6 fields, found 5/);
    assert.match(bad[1]!.reason, /"thirty" is not an int32/);
    assert.match(bad[6]!.reason, /a quoted field opened on this line is never closed/);
  });

  it('refuses missing, extra and duplicated columns, naming them; extra columns may be dropped', async () => {
    await assert.rejects(read('id,name,age,salary,is_active\n1,a,1,1,true\n'), (e: unknown) => {
      assert.ok(e instanceof InputFileError);
      assert.match(e.message, /^in\.csv, line 1: missing column signup_date/);
      return true;
    });
    await assert.rejects(
      read(`${HEADER},bonus,team\n1,a,1,1,2024-01-01,true,3,x\n`),
      /in\.csv, line 1: unexpected columns bonus, team/,
    );
    await assert.rejects(read(`${HEADER},age\n`), /column age: the column appears twice/);
    const { result, parts } = await read(`${HEADER},bonus\n1,a,1,1,2024-01-01,true,3\n`, 1, {
      allowExtraColumns: true,
    });
    assert.equal(result.rows, 1);
    assert.equal(parts[0]!.table.numCols, 6);
  });

  it('refuses a column that mostly holds the wrong type, and empty files', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},n,${20 + i},1.5,soon,true`);
    await assert.rejects(read([HEADER, ...rows].join('\n')), (e: unknown) => {
      assert.ok(e instanceof InputFileError);
      assert.equal(e.column, 'signup_date');
      assert.equal(e.line, 2);
      assert.match(
        e.message,
        /in\.csv, line 2, column signup_date: expected timestamp\[us\], the column holds string values such as "soon"/,
      );
      return true;
    });
    await assert.rejects(read(''), /in\.csv: the file is empty/);
  });

  it('a header without rows is an empty input, not an error', async () => {
    const { result, bad, parts } = await read(`${HEADER}\n`, 2);
    assert.deepEqual([result, bad], [{ rows: 0, badRows: 0 }, []]);
    assert.deepEqual(
      parts.map((p) => [p.rows, p.table.numRows, p.table.numCols]),
      [
        [0, 0, 6],
        [0, 0, 6],
      ],
    );
  });

  it('a name that is not UTF-8 is a bad row naming line and column, not a silently mangled value', async () => {
    const latin1 = Buffer.from(
      `${HEADER}\n1,Ann,30,1,2024-01-01,true\n2,Jos\xe9,31,1,2024-01-01,true\n`,
      'latin1',
    );
    // A file may hold U+FFFD itself (valid UTF-8, even split across reads): that name is kept.
    const valid = Buffer.from(`${HEADER}\n3,Ren\u00e9 \ufffd,32,1,2024-01-01,true\n`, 'utf8');
    const readAll = async (bytes: Buffer, highWaterMark?: number) => {
      const path = join(dir, `utf8-${Math.random().toString(36).slice(2)}.csv`);
      writeFileSync(path, bytes);
      const spill = new PartitionSpill(dir, 1, 2);
      const bad: BadRow[] = [];
      try {
        // highWaterMark reaches readCsvRecords through the test-only option below.
        const result = await readCsvFile(path, 'in.csv', spill, (r) => bad.push(r), { highWaterMark });
        spill.flushAll();
        return { result, bad, names: [...spill.read(0).table.getChild('name')!.toArray()] };
      } finally {
        spill.close();
      }
    };
    for (const highWaterMark of [undefined, 1, 2, 7]) {
      const refused = await readAll(latin1, highWaterMark);
      assert.equal(refused.result.rows, 1);
      assert.deepEqual(
        refused.bad.map((b) => [b.line, b.column, b.reason]),
        [
          [
            3,
            'name',
            '"Jos\ufffd" is not valid UTF-8 (\ufffd marks the bytes that are not; expected UTF-8 text: convert the file, e.g. iconv -f latin1 -t utf-8)',
          ],
        ],
        `highWaterMark ${highWaterMark}`,
      );
      const kept = await readAll(valid, highWaterMark);
      assert.deepEqual([kept.bad, kept.names], [[], ['Ren\u00e9 \ufffd']], `highWaterMark ${highWaterMark}`);
    }
    // A file cut inside a multi-byte character: its last name ends in U+FFFD, a bad row.
    const path = join(dir, 'cut.csv');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('id,age,salary,signup_date,is_active,name\n1,30,1,2024-01-01,true,B'),
        Buffer.from([0xc3]),
      ]),
    );
    const spill = new PartitionSpill(dir, 1, 2);
    const bad: BadRow[] = [];
    try {
      await readCsvFile(path, 'cut.csv', spill, (r) => bad.push(r));
    } finally {
      spill.close();
    }
    assert.deepEqual(
      bad.map((b) => [b.line, b.column]),
      [[2, 'name']],
    );
  });

  it('a header of 10,000 columns: refused quickly with the list cut short, or read keeping only the raw columns', async () => {
    const extra = Array.from({ length: 9994 }, (_, k) => `extra_${k}`);
    const rows = Array.from({ length: 30 }, (_, i) =>
      [i + 1, 'n', 30, 1.5, '2024-01-01', 'true', ...extra.map(() => 7)].join(','),
    );
    const text = `${[HEADER, ...extra].join(',')}\n${rows.join('\n')}\n`;
    await assert.rejects(read(text), (e: unknown) => {
      assert.ok(e instanceof InputFileError);
      assert.equal(
        e.message,
        `in.csv, line 1: unexpected columns ${extra.slice(0, 20).join(', ')} … and 9974 more (expected exactly id, name, age, salary, signup_date, is_active; --allow-extra-columns drops them)`,
      );
      return true;
    });
    // Sampled rows (type inference) and streamed ones both keep only the six raw fields.
    const { result, parts } = await read(text, 2, { allowExtraColumns: true, sampleRows: 10 });
    assert.equal(result.rows, 30);
    assert.equal(parts[0]!.table.numCols, 6);
  });

  it('an unclosed quote does not take the rest of a large file into memory', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i + 2},n,30,1.5,2024-01-01,true`);
    const text = `${HEADER}\n1,"open,30,1.5,2024-01-01,true\n${rows.join('\n')}\n`;
    await assert.rejects(read(text, 1, { maxRecordChars: 10_000 }), (e: unknown) => {
      assert.ok(e instanceof InputFileError);
      assert.equal(e.line, 2);
      assert.match(
        e.message,
        /^in\.csv, line 2: a record runs beyond 10000 characters \(an unclosed quote\?\)/,
      );
      return true;
    });
  });

  it('uses declared types instead of inference', async () => {
    const schema = [
      { name: 'age', type: 'string' as const },
      { name: 'id', type: 'int64' as const },
    ];
    await assert.rejects(
      read(`${HEADER}\n1,a,1,1,2024-01-01,true\n`, 1, { schema }),
      /column age: declared string in the schema, expected int32/,
    );
  });
});
