/**
 * Rows the study printed (seed/spark-ray-pipeline-paper.md), kept in one place: the generator's
 * tests check them against the `study` profile and `lake reproduce` shows them beside its own.
 */
export interface StudyPrintedRow {
  id: number;
  name: string;
  age: number;
  salary: number;
  /** The printed signup day, `YYYY-MM-DD` (printed with a 00:00:00 time). */
  signupDate: string;
  isActive: boolean;
}

type Printed = [number, string, number, number, string, boolean];

const rows = (printed: Printed[]): readonly StudyPrintedRow[] =>
  printed.map(([id, name, age, salary, signupDate, isActive]) => ({
    id,
    name,
    age,
    salary,
    signupDate,
    isActive,
  }));

/** Section "B. Sample Data Overview": the first rows of the data. */
export const STUDY_SAMPLE_ROWS = rows([
  [0, 'David', 38, 62862.67, '2020-06-30', false],
  [1, 'Eve', 29, 108079.55, '2021-06-13', false],
  [2, 'Charlie', 32, 87549.82, '2028-08-21', false],
  [3, 'Eve', 22, 67868.22, '2027-02-25', false],
  [4, 'Eve', 59, 115814.73, '2023-03-30', true],
  [5, 'Bob', 64, 34233.71, '2027-07-04', true],
  [6, 'Charlie', 57, 31950.88, '2023-07-31', false],
]);

/**
 * Section "B. ETL Query_1 Pipeline": `dropDuplicates(["full_name", "salary"])`, then the 10
 * highest salaries, in the order Spark printed them. Spark's sort has no tie-break: the two rows
 * at 119999.88 are printed with the larger id first.
 */
export const STUDY_QUERY1_ROWS = rows([
  [1084844, 'Alice', 32, 119999.99, '2021-03-12', true],
  [3154808, 'Charlie', 49, 119999.98, '2028-08-18', true],
  [4699271, 'Alice', 42, 119999.98, '2027-12-10', false],
  [272270, 'David', 28, 119999.94, '2021-03-30', true],
  [2023572, 'Charlie', 51, 119999.91, '2026-11-04', true],
  [4106404, 'Alice', 27, 119999.88, '2029-02-03', false],
  [2963100, 'Bob', 43, 119999.88, '2024-08-08', true],
  [4769844, 'Bob', 37, 119999.87, '2022-12-06', false],
  [3703048, 'Alice', 32, 119999.83, '2029-05-08', true],
  [622154, 'David', 42, 119999.76, '2023-01-24', true],
]);

/**
 * Section "C. Query_2 Pipeline", as printed: without de-duplication each of the six copies of an
 * employee is a separate row, so the lists repeat ids 376 and 448. Id 614 is printed with signup
 * 2020-08-26 where the generator gives 2026-08-26 (every other field equal): that printout went
 * through a date rewrite, so the generator's tests leave it out.
 */
export const STUDY_QUERY2_YOUNGEST_ROWS = rows([
  [376, 'David', 18, 114168.7, '2021-10-14', true],
  [376, 'David', 18, 114168.7, '2021-10-14', true],
  [376, 'David', 18, 114168.7, '2021-10-14', true],
  [545, 'Eve', 18, 108009.56, '2020-12-25', true],
  [376, 'David', 18, 114168.7, '2021-10-14', true],
]);

export const STUDY_QUERY2_OLDEST_ROWS = rows([
  [448, 'Alice', 64, 117283.37, '2020-08-31', true],
  [448, 'Alice', 64, 117283.37, '2020-08-31', true],
  [448, 'Alice', 64, 117283.37, '2020-08-31', true],
  [614, 'Alice', 64, 48259.82, '2020-08-26', true],
  [448, 'Alice', 64, 117283.37, '2020-08-31', true],
]);
