import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCsvRecords } from './csv-records';

describe('readCsvRecords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-records-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const records = async (text: string, highWaterMark?: number) => {
    const path = join(dir, `f${Math.random()}.csv`);
    writeFileSync(path, text);
    const out: [number, string[]][] = [];
    const stats = await readCsvRecords(path, (fields, line) => out.push([line, fields.slice()]), {
      highWaterMark,
    });
    return { out, stats };
  };

  it('splits plain and quoted fields, CRLF and LF, with the line each record starts on', async () => {
    const text = 'a,b,c\r\n1,"x, y",3\n2,"he said ""hi""","multi\nline"\n4,,\n';
    for (const hwm of [undefined, 1, 3, 7]) {
      const { out } = await records(text, hwm);
      assert.deepEqual(
        out,
        [
          [1, ['a', 'b', 'c']],
          [2, ['1', 'x, y', '3']],
          [3, ['2', 'he said "hi"', 'multi\nline']],
          [5, ['4', '', '']],
        ],
        `highWaterMark ${hwm}`,
      );
    }
  });

  it('reads a last record without a newline, skips a BOM, counts lines', async () => {
    const { out, stats } = await records('\ufeffid,name\n1,ann\n2,bob');
    assert.deepEqual(out, [
      [1, ['id', 'name']],
      [2, ['1', 'ann']],
      [3, ['2', 'bob']],
    ]);
    assert.equal(stats.records, 3);
    assert.equal(stats.lines, 3);
  });

  it('keeps multi-byte characters split across read chunks', async () => {
    const { out } = await records('n\nZoë Ågren 李\n', 2);
    assert.deepEqual(out[1], [2, ['Zoë Ågren 李']]);
  });

  it('with a field limit, cuts out only the first fields and counts the rest (quoted or not)', async () => {
    const path = join(dir, 'wide.csv');
    writeFileSync(path, 'a,b,c,d,e\n1,"x, ""y""",3,"4\n4",5\n6,7\n"open,8\n');
    const out: [number, string[], number, boolean][] = [];
    await readCsvRecords(
      path,
      (fields, line, unclosed, _notUtf8, count) => out.push([line, fields.slice(), count, unclosed]),
      { fieldLimit: { max: 2 } },
    );
    assert.deepEqual(out, [
      [1, ['a', 'b'], 5, false],
      [2, ['1', 'x, "y"'], 5, false],
      [4, ['6', '7'], 2, false],
      [5, ['open,8\n'], 1, true],
    ]);
  });

  it('an empty file has no records', async () => {
    const { out, stats } = await records('');
    assert.equal(out.length, 0);
    assert.equal(stats.records, 0);
  });
});
