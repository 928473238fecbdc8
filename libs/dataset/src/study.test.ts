import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { NAMES } from './columns';
import { generatePartitions } from './generate';
import { hashPartition } from './hash';
import { generateStudyChunk, STUDY_EPOCH_DAY } from './study';
import {
  STUDY_QUERY1_ROWS,
  STUDY_QUERY2_OLDEST_ROWS,
  STUDY_QUERY2_YOUNGEST_ROWS,
  STUDY_SAMPLE_ROWS,
} from './study-printed';

const MICROS_PER_DAY = 86_400_000_000;

/**
 * The study's generator as its NumPy code draws one chunk; writes raw little-endian arrays
 * (name codes, ages, salaries, signup µs, is_active) of rows [from, to) and `spots` to `dir`.
 * `loop=1` draws signup days one scalar `randint` per row with pandas arithmetic as the study
 * did; `loop=0` uses one array `randint(0, 3650, n)` (the same draws, checked below).
 */
const REFERENCE = `
import sys, numpy as np, pandas as pd
out, n, start, stop, loop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == '1'
spots = np.array([int(s) for s in sys.argv[6].split(',')] if len(sys.argv) > 6 and sys.argv[6] else [], dtype=np.int64)
names_list = ['Alice', 'Bob', 'Charlie', 'David', 'Eve']
np.random.seed(42)
names = np.random.choice(names_list, n)
ages = np.random.randint(18, 65, n)
salaries = np.random.uniform(30000, 120000, n).round(2)
if loop:
    dates = [pd.Timestamp('2020-01-01') + pd.Timedelta(days=np.random.randint(0, 3650)) for _ in range(n)]
    micros = np.array([d.value // 1000 for d in dates], dtype=np.int64)
else:
    micros = (pd.Timestamp('2020-01-01').value // 1000 + np.random.randint(0, 3650, n).astype(np.int64) * 86_400_000_000)
active = np.random.choice([True, False], n)
idx = np.concatenate([np.arange(start, stop), spots])
# The study builds a DataFrame of these columns; only the compared rows are converted here.
codes = np.array([names_list.index(v) for v in names[idx]], dtype=np.uint8)
codes.tofile(out + '/name.bin')
ages[idx].astype(np.int32).tofile(out + '/age.bin')
salaries[idx].astype(np.float64).tofile(out + '/salary.bin')
micros[idx].astype(np.int64).tofile(out + '/date.bin')
active[idx].astype(np.uint8).tofile(out + '/active.bin')
`;

interface Reference {
  name: Uint8Array;
  age: Int32Array;
  salary: Float64Array;
  date: BigInt64Array;
  active: Uint8Array;
}

function numpyChunk(
  rows: number,
  start: number,
  stop: number,
  loop: boolean,
  spots: number[] = [],
): Reference {
  const dir = tempDir('lake-study-');
  runPython(REFERENCE, [dir, String(rows), String(start), String(stop), loop ? '1' : '0', spots.join(',')]);
  const bytes = (file: string) => {
    const b = readFileSync(join(dir, file));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  return {
    name: new Uint8Array(bytes('name.bin')),
    age: new Int32Array(bytes('age.bin')),
    salary: new Float64Array(bytes('salary.bin')),
    date: new BigInt64Array(bytes('date.bin')),
    active: new Uint8Array(bytes('active.bin')),
  };
}

function assertChunkRows(
  rows: number[],
  reference: Reference,
  chunk: ReturnType<typeof generateStudyChunk>,
): void {
  rows.forEach((j, i) => {
    const where = `chunk row ${j}`;
    assert.equal(chunk.nameIndex[j], reference.name[i], `${where}: name`);
    assert.equal(chunk.age[j], reference.age[i], `${where}: age`);
    // Bit for bit: Object.is distinguishes every double, even -0.
    assert.ok(
      Object.is(chunk.salary[j], reference.salary[i]),
      `${where}: salary ${chunk.salary[j]} vs ${reference.salary[i]}`,
    );
    assert.equal(
      BigInt(STUDY_EPOCH_DAY + chunk.signupDay[j]) * BigInt(MICROS_PER_DAY),
      reference.date[i],
      `${where}: date`,
    );
    assert.equal(chunk.isActive[j], reference.active[i], `${where}: is_active`);
  });
}

let fiveMillion: ReturnType<typeof generateStudyChunk> | undefined;
const chunk5M = () => {
  fiveMillion ??= generateStudyChunk(42, 5_000_000);
  return fiveMillion;
};

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('study profile', () => {
  const LOOP_ROWS = 20_000;
  let loopReference: Reference | undefined;
  const withLoop = () => {
    loopReference ??= numpyChunk(LOOP_ROWS, 0, LOOP_ROWS, true);
    return loopReference;
  };

  test('equals NumPy + pandas row for row, with the per-row signup loop (20,000-row chunk)', () => {
    assertChunkRows(range(0, LOOP_ROWS), withLoop(), generateStudyChunk(42, LOOP_ROWS));
  });

  test('the array randint draws the same signup days as the per-row loop (so the 5M check may use it)', () => {
    const rows = LOOP_ROWS;
    const loop = withLoop();
    const array = numpyChunk(rows, 0, rows, false);
    assert.deepEqual(array.date, loop.date);
    assert.deepEqual(array.active, loop.active);
  });

  test('a 5M-row chunk: the first 100,000 rows and spot rows equal NumPy bit for bit', () => {
    const rows = 5_000_000;
    const spots = [100_000, 272_270, 1_084_844, 2_500_001, 3_154_808, 4_699_271, 4_999_998, 4_999_999];
    const reference = numpyChunk(rows, 0, 100_000, false, spots);
    assertChunkRows([...range(0, 100_000), ...spots], reference, chunk5M());
  });

  test("reproduces the study's printed sample rows and top earners", () => {
    const chunk = chunk5M();
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000 - STUDY_EPOCH_DAY;
    // The paper's sample rows, its Query 1 table and its Query 2 rows (except id 614, whose
    // printed date went through a rewrite: see study-printed.ts).
    const printed = [
      ...STUDY_SAMPLE_ROWS,
      ...STUDY_QUERY1_ROWS,
      ...STUDY_QUERY2_YOUNGEST_ROWS,
      ...STUDY_QUERY2_OLDEST_ROWS.filter((r) => r.id !== 614),
    ].map((r): [number, string, number, number, string, boolean] => [
      r.id,
      r.name,
      r.age,
      r.salary,
      r.signupDate,
      r.isActive,
    ]);
    assert.equal(printed.length, 7 + 10 + 5 + 4);
    for (const [id, name, age, salary, date, active] of printed) {
      assert.deepEqual(
        [
          NAMES[chunk.nameIndex[id]],
          chunk.age[id],
          chunk.salary[id],
          chunk.signupDay[id],
          chunk.isActive[id] === 1,
        ],
        [name, age, salary, day(date), active],
        `row ${id}`,
      );
    }
  });

  test("the study's Query 1 table is the whole answer: (name, salary) duplicates dropped, top 10 by salary", () => {
    const chunk = chunk5M();
    // Candidates above a salary every printed row clears; then the study's semantics.
    const candidates: number[] = [];
    for (let j = 0; j < chunk.rows; j++) if (chunk.salary[j] >= 119_999) candidates.push(j);
    candidates.sort((a, b) => chunk.salary[b] - chunk.salary[a] || a - b);
    const seen = new Set<string>();
    const top = candidates
      .filter((j) => {
        const key = `${chunk.nameIndex[j]}/${chunk.salary[j]}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .slice(0, 10);
    // Spark printed equal salaries in no particular order; ours breaks ties by id.
    const printed = [...STUDY_QUERY1_ROWS].sort((a, b) => b.salary - a.salary || a.id - b.id);
    assert.deepEqual(
      top,
      printed.map((r) => r.id),
    );
  });

  test('partitions repeat the chunk per repetition; every copy of an id lands in its hash partition', () => {
    const chunkRows = 1_000;
    const rows = 6_500;
    const chunk = generateStudyChunk(42, chunkRows);
    const seen = new Uint32Array(chunkRows);
    let total = 0;
    for (const part of generatePartitions({
      rows,
      partitions: 7,
      profile: 'study',
      studyChunkRows: chunkRows,
    })) {
      total += part.count;
      for (let i = 0; i < part.count; i++) {
        const j = Number(part.id[i]);
        assert.equal(hashPartition(j, 7), part.partition);
        assert.equal(part.nameIndex[i], chunk.nameIndex[j]);
        assert.equal(part.age[i], chunk.age[j]);
        assert.equal(part.salary[i], chunk.salary[j]);
        assert.equal(part.signupDate[i], BigInt((STUDY_EPOCH_DAY + chunk.signupDay[j]) * MICROS_PER_DAY));
        assert.equal(part.isActive[i], chunk.isActive[j]);
        seen[j]++;
      }
    }
    assert.equal(total, rows);
    for (let j = 0; j < chunkRows; j++) assert.equal(seen[j], j < 500 ? 7 : 6, `copies of id ${j}`);
  });
});
