import {
  float64Column,
  ParquetReader,
  type RandomAccessSource,
  stringColumn,
  topK,
} from '@lakestream/columnar';
import { InvalidInputError } from '@lakestream/core';
import type { EmployeeRow } from '@lakestream/etl-core';

const COLUMNS = ['id', 'full_name', 'age', 'salary', 'signup_date', 'is_active'];
/** Rows kept per partition: far more than 10, so (name, salary) duplicates cannot push a row out. */
const FIRST_K = 200;

/** Salary descending, then id ascending: a total order, so every run gives the same rows. */
const compare = (a: EmployeeRow, b: EmployeeRow) => b.salary - a.salary || a.id - b.id;

export interface StudyQuery1 {
  /** The 10 rows, salary descending, ties by id. */
  rows: EmployeeRow[];
  files: number;
  rowsScanned: number;
  /** Rows kept per partition by the last scan (raised when the first could not prove the answer). */
  perPartition: number;
  seconds: number;
}

/** The best `k` rows of one clean partition, one row group in memory at a time. */
async function partitionTop(source: RandomAccessSource, k: number) {
  try {
    return await scanTop(source, k);
  } finally {
    await source.close?.();
  }
}

async function scanTop(source: RandomAccessSource, k: number) {
  const reader = await ParquetReader.open(source);
  let best: EmployeeRow[] = [];
  let scanned = 0;
  for await (const { table } of reader.rowGroups({ columns: COLUMNS })) {
    scanned += table.numRows;
    const salary = float64Column(table, 'salary').values;
    const id = float64Column(table, 'id').values;
    const winners = topK(salary, k, { tieBreak: id });
    if (winners.length === 0) continue;
    const name = stringColumn(table, 'full_name');
    const age = float64Column(table, 'age').values;
    const signup = float64Column(table, 'signup_date').values;
    const active = float64Column(table, 'is_active').values;
    for (const i of winners) {
      best.push({
        id: id[i]!,
        full_name: name.dictionary[name.codes[i]!] ?? '',
        age: age[i]!,
        salary: salary[i]!,
        signup_date: signup[i]!,
        is_active: active[i] === 1,
      });
    }
    best = best.sort(compare).slice(0, k);
  }
  return { best, scanned, full: best.length === k };
}

/** Drops later rows with an already seen (full_name, salary): in this order the lowest id stays. */
function firstOfEachNameAndSalary(sorted: EmployeeRow[], n: number): EmployeeRow[] {
  const seen = new Set<string>();
  const out: EmployeeRow[] = [];
  for (const r of sorted) {
    const key = `${r.full_name}\u0000${r.salary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
    if (out.length === n) break;
  }
  return out;
}

/**
 * Query 1 as the study's Spark code states it — drop duplicates on (full_name, salary), then
 * the 10 highest salaries — over a batch's clean partitions. The ETL de-duplicates by id; the
 * study's rows with one id are copies, so the row kept per (name, salary) is the lowest id.
 *
 * Each partition keeps its best k rows. That is provably enough when every partition that
 * filled its k ranks its k-th row after the answer's 10th: any row left out ranks later still,
 * so it can neither enter the top 10 nor be the kept (lower-id) copy of an answer's pair.
 * Otherwise the scan repeats with a larger k.
 */
export async function studyQuery1(
  files: string[],
  open: (file: string) => RandomAccessSource,
  options: { concurrency?: number; firstK?: number } = {},
): Promise<StudyQuery1> {
  const started = performance.now();
  const concurrency = options.concurrency ?? 2;
  const firstK = options.firstK ?? FIRST_K;
  const maxK = firstK * 64;
  for (let k = firstK; k <= maxK; k *= 4) {
    const parts: Awaited<ReturnType<typeof partitionTop>>[] = new Array(files.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, files.length) }, async () => {
        for (let f = next++; f < files.length; f = next++) parts[f] = await partitionTop(open(files[f]!), k);
      }),
    );
    const rows = firstOfEachNameAndSalary(parts.flatMap((p) => p.best).sort(compare), 10);
    const tenth = rows[9];
    const proven = parts.every((p) => !p.full || (tenth !== undefined && compare(tenth, p.best[k - 1]!) < 0));
    if (proven)
      return {
        rows,
        files: files.length,
        rowsScanned: parts.reduce((s, p) => s + p.scanned, 0),
        perPartition: k,
        seconds: (performance.now() - started) / 1000,
      };
  }
  throw new InvalidInputError(
    `Query 1 (study semantics): more than ${maxK} rows of one partition share the top salaries; cannot bound the scan`,
    'rows',
  );
}
