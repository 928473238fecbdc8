import type { EmployeeRow } from '@lakestream/etl-core';
import { bold, dim, green, red, table, yellow } from '../output/print';
import { STUDY, STUDY_CHUNK_ROWS } from './study-figures';

/** What `lake reproduce` prints, as much of its JSON summary as the table needs. */
export type ReproductionFigures = {
  rows: number;
  chunkRows: number;
  comparableWithStudy: boolean;
  machine: { cores: number; loadAverage: number[] };
  publish: { rows: number; partitions: number; seconds: number };
  etl: {
    seconds: number;
    rowsIn: number;
    rowsOut: number;
    duplicatesRemoved: number;
    futureSignupDates: number;
    study: { runs: number[]; min: number; median: number; max: number; machines: string };
  };
  query1: { rows: EmployeeRow[]; rowMatches: boolean[]; matchesStudy: boolean; study: EmployeeRow[] };
  query2: {
    youngestActive: EmployeeRow[];
    oldestActive: EmployeeRow[];
    study: { youngestActive: EmployeeRow[]; oldestActive: EmployeeRow[] };
    note: string;
  };
  training: {
    sample: { testMse: number; testR2: number; seconds: number; trainRows: number; noSignal: string | null };
    all: {
      testMse: number;
      testR2: number;
      seconds: number;
      trainRows: number;
      search: string;
      noSignal: string | null;
    };
    salaryVariance: number;
  };
  prediction: { sample: { rows: number; seconds: number }; all: { rows: number; seconds: number } };
  seconds: number;
};

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const s1 = (x: number) => `${x.toFixed(1)} s`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const fmtRow = (r: EmployeeRow) => [
  r.id,
  r.full_name,
  r.age,
  r.salary.toFixed(2),
  day(r.signup_date),
  String(r.is_active),
];
const COLS = ['id', 'full_name', 'age', 'salary', 'signup_date', 'is_active'];

export function printReproduction(s: ReproductionFigures): void {
  const e = s.etl;
  const t = s.training;
  const distinct = Math.min(s.rows, s.chunkRows);
  const q1 = s.query1.matchesStudy
    ? green("equal to the study's table, row for row")
    : s.comparableWithStudy
      ? red("differs from the study's table")
      : `not comparable: the study's table needs its full ${n0(STUDY_CHUNK_ROWS)}-row chunk`;
  console.log(
    `\n${bold('lake reproduce')} — the study (Spark + Ray) on this machine (${s.machine.cores} cores, load ${s.machine.loadAverage.map((l) => l.toFixed(1)).join(' → ')}), ${n0(s.rows)} rows\n`,
  );
  console.log(
    table(
      ['figure', 'lakestream', 'study'],
      [
        [
          'rows',
          `${n0(s.rows)} (${n0(distinct)} distinct ids, ${s.publish.partitions} partitions)`,
          `${n0(STUDY.rows)} (the same 5M rows six times)`,
        ],
        ['publish (generate, write to HDFS)', s1(s.publish.seconds), '—'],
        [
          'ETL (clean, both queries, write)',
          s1(e.seconds),
          `${e.study.min.toFixed(1)}–${e.study.max.toFixed(1)} s, median ${e.study.median.toFixed(1)} s (${e.study.runs.length} runs, ${e.study.machines})`,
        ],
        ['duplicates removed', `${n0(e.duplicatesRemoved)} of ${n0(e.rowsIn)}`, 'none (its ETL keeps them)'],
        [
          'future signup dates',
          `${n0(e.futureSignupDates)} (${((100 * e.futureSignupDates) / e.rowsOut).toFixed(1)} %), flagged`,
          'kept, not counted',
        ],
        ['Query 1 (its semantics)', q1, '10 rows printed'],
        ['Query 2', 'each employee once, ties by id', 'repeats rows (no de-duplication)'],
        [
          `training on the first ${n0(STUDY.trainingRows)} rows`,
          `MSE ${n0(t.sample.testMse)}, R² ${t.sample.testR2.toFixed(4)}, ${s1(t.sample.seconds)}`,
          `MSE ${n0(STUDY.mse)}, ${STUDY.trainingSeconds} s`,
        ],
        [
          `training on all ${n0(e.rowsOut)} clean rows (${t.all.search})`,
          `MSE ${n0(t.all.testMse)}, R² ${t.all.testR2.toFixed(4)}, ${s1(t.all.seconds)}`,
          '—',
        ],
        [
          'floor: Var(salary) = 90000²/12',
          `${n0(t.salaryVariance)} (sample MSE ${(t.sample.testMse / t.salaryVariance).toFixed(3)} ×, all ${(t.all.testMse / t.salaryVariance).toFixed(3)} ×)`,
          `${(STUDY.mse / t.salaryVariance).toFixed(3)} ×`,
        ],
        [
          `prediction of the first ${n0(STUDY.predictionRows)} rows`,
          s1(s.prediction.sample.seconds),
          `${STUDY.predictionSeconds} s per batch`,
        ],
        [`prediction of all ${n0(s.prediction.all.rows)} clean rows`, s1(s.prediction.all.seconds), '—'],
      ],
    ),
  );
  console.log(
    `\n${bold('Query 1 — drop duplicates on (full_name, salary), 10 highest salaries (ties by id)')}`,
  );
  console.log(
    table(
      [...COLS, s.comparableWithStudy ? "the study's row" : "the study's row (from its full chunk)"],
      s.query1.rows.map((r, i) => [
        ...fmtRow(r),
        s.query1.rowMatches[i] ? '=' : `≠ ${s.query1.study[i] ? fmtRow(s.query1.study[i]!).join(' ') : '—'}`,
      ]),
    ),
  );
  console.log(
    dim(
      "(the study's Spark printed the two rows at 119999.88 in the other order: its sort has no tie-break)",
    ),
  );
  for (const [label, ours, theirs] of [
    ['youngest', s.query2.youngestActive, s.query2.study.youngestActive],
    ['oldest', s.query2.oldestActive, s.query2.study.oldestActive],
  ] as const) {
    console.log(`\n${bold(`Query 2 — 5 ${label} active employees`)}: ours | the study's printout`);
    console.log(
      table(
        [...COLS, '|', ...COLS],
        ours.map((r, i) => [...fmtRow(r), '|', ...(theirs[i] ? fmtRow(theirs[i]!) : [])]),
      ),
    );
  }
  console.log(dim(`(${s.query2.note})`));
  for (const [label, w] of [
    ['sample', t.sample.noSignal],
    ['all rows', t.all.noSignal],
  ] as const)
    if (w) console.log(yellow(`warning (${label}): ${w}`));
  console.log(`\nreproduced in ${s1(s.seconds)}`);
}
