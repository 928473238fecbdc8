import { allocateColumns, type PartitionColumns } from './columns';
import { hashPartitionsOfRange } from './hash';
import { int64Words, setInt64 } from './int64';
import { Mt19937, numpyRound } from './mt19937';

/** Days from the Unix epoch to 2020-01-01, the study's `pd.Timestamp('2020-01-01')`. */
export const STUDY_EPOCH_DAY = 18262;
const MICROS_PER_DAY = 86_400_000_000;

/** `randint(0, 3650)`: signup days 0…3649 after 2020-01-01. */
const STUDY_DAYS = 3650;

export const DEFAULT_STUDY_CHUNK_ROWS = 5_000_000;

/**
 * One chunk of the study's generator, exactly as its NumPy code draws it after
 * `np.random.seed(seed)`: all names (`choice` of the five names), all ages
 * (`randint(18, 65)`), all salaries (`uniform(30000, 120000).round(2)`), then one
 * `randint(0, 3650)` per row for the signup day, then all `choice([True, False])`.
 */
export interface StudyChunk {
  seed: number;
  rows: number;
  nameIndex: Uint8Array;
  age: Uint8Array;
  salary: Float64Array;
  /** Days after 2020-01-01. */
  signupDay: Uint16Array;
  isActive: Uint8Array;
}

export function generateStudyChunk(seed: number, rows: number): StudyChunk {
  const mt = new Mt19937(seed);
  const nameIndex = new Uint8Array(rows);
  mt.fillBounded(0, 4, nameIndex);
  const age = new Uint8Array(rows);
  mt.fillBounded(18, 64 - 18, age);
  const salary = new Float64Array(rows);
  mt.fillUniform(30000, 120000, salary);
  for (let i = 0; i < rows; i++) salary[i] = numpyRound(salary[i], 2);
  const signupDay = new Uint16Array(rows);
  mt.fillBounded(0, STUDY_DAYS - 1, signupDay);
  const choice = new Uint8Array(rows);
  mt.fillBounded(0, 1, choice);
  // choice([True, False]): index 0 is True.
  const isActive = choice;
  for (let i = 0; i < rows; i++) isActive[i] = 1 - choice[i];
  return { seed, rows, nameIndex, age, salary, signupDay, isActive };
}

/**
 * A chunk reordered partition by partition (for `partitions` partitions): partition p's
 * chunk rows are `[offsets[p], offsets[p + 1])`, ascending by chunk row `row`. Built by
 * one sequential pass, so building a partition reads memory sequentially instead of
 * gathering scattered rows.
 */
export interface StudyLayout {
  seed: number;
  chunkRows: number;
  partitions: number;
  offsets: Float64Array;
  row: Uint32Array;
  nameIndex: Uint8Array;
  age: Uint8Array;
  salary: Float64Array;
  signupDay: Uint16Array;
  isActive: Uint8Array;
}

export function layoutStudyChunk(chunk: StudyChunk, partitions: number): StudyLayout {
  const c = chunk.rows;
  const part = new Uint32Array(c);
  hashPartitionsOfRange(0, c, partitions, part);
  const offsets = new Float64Array(partitions + 1);
  for (let j = 0; j < c; j++) offsets[part[j] + 1]++;
  for (let p = 0; p < partitions; p++) offsets[p + 1] += offsets[p];
  const next = offsets.slice(0, partitions);
  const layout: StudyLayout = {
    seed: chunk.seed,
    chunkRows: c,
    partitions,
    offsets,
    row: new Uint32Array(c),
    nameIndex: new Uint8Array(c),
    age: new Uint8Array(c),
    salary: new Float64Array(c),
    signupDay: new Uint16Array(c),
    isActive: new Uint8Array(c),
  };
  const { row, nameIndex, age, salary, signupDay, isActive } = layout;
  for (let j = 0; j < c; j++) {
    const q = next[part[j]]++;
    row[q] = j;
    nameIndex[q] = chunk.nameIndex[j];
    age[q] = chunk.age[j];
    salary[q] = chunk.salary[j];
    signupDay[q] = chunk.signupDay[j];
    isActive[q] = chunk.isActive[j];
  }
  return layout;
}

let cached: StudyLayout | undefined;

/** Drops the kept study chunk (about 17 bytes per chunk row). */
export function clearStudyLayout(): void {
  cached = undefined;
}

/** The laid-out chunk for (seed, chunk rows, partitions), kept for the next call: a worker draws it once. */
export function studyLayout(seed: number, chunkRows: number, partitions: number): StudyLayout {
  if (
    cached === undefined ||
    cached.seed !== seed ||
    cached.chunkRows !== chunkRows ||
    cached.partitions !== partitions
  ) {
    cached = undefined;
    cached = layoutStudyChunk(generateStudyChunk(seed, chunkRows), partitions);
  }
  return cached;
}

/**
 * One partition of the study's table of `rows` rows: row r is row r mod C of the chunk
 * (C = the chunk's rows; the last repetition truncated) and its id is r mod C. Rows come
 * out repetition by repetition, each in ascending id order (gathered once, then copied).
 */
export function studyPartition(layout: StudyLayout, rows: number, partition: number): PartitionColumns {
  const c = layout.chunkRows;
  const full = Math.floor(rows / c);
  const tail = rows - full * c;
  const start = layout.offsets[partition];
  const owned = layout.offsets[partition + 1] - start;
  let tailCount = 0;
  while (tailCount < owned && layout.row[start + tailCount] < tail) tailCount++;
  const count = full * owned + tailCount;
  const out = allocateColumns('study', partition, layout.partitions, count);
  const first = full > 0 ? owned : tailCount;
  const ids = int64Words(out.id);
  const dates = int64Words(out.signupDate);
  const dayWords = new Uint32Array(2 * STUDY_DAYS);
  for (let d = 0; d < STUDY_DAYS; d++) setInt64(dayWords, d, (STUDY_EPOCH_DAY + d) * MICROS_PER_DAY);
  const { row, signupDay } = layout;
  for (let i = 0; i < first; i++) {
    ids[2 * i] = row[start + i];
    const d = signupDay[start + i];
    dates[2 * i] = dayWords[2 * d];
    dates[2 * i + 1] = dayWords[2 * d + 1];
  }
  out.nameIndex.set(layout.nameIndex.subarray(start, start + first));
  out.age.set(layout.age.subarray(start, start + first));
  out.salary.set(layout.salary.subarray(start, start + first));
  out.isActive.set(layout.isActive.subarray(start, start + first));
  for (let rep = 1; rep <= full; rep++) {
    const n = rep < full ? owned : tailCount;
    const at = rep * owned;
    for (const column of [out.id, out.nameIndex, out.age, out.salary, out.signupDate, out.isActive]) {
      column.copyWithin(at, 0, n);
    }
  }
  return out;
}
