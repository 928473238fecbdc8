import { allocateColumns, type PartitionColumns } from './columns';
import { mix32, triple32 } from './hash';
import { int64Words, setInt64 } from './int64';
import { roundHalfEven } from './mt19937';
import { clampedNormalVariance, kn, wn, zigguratSlow } from './normal';

const TWO_POW_32 = 4294967296;
const MS_PER_DAY = 86_400_000;

const MIN_AGE = 18;
const AGE_VALUES = 63; // 18..80
const ACTIVE_PROBABILITY = 0.5;
const BASE = 40_000;
const SLOPE = 2_200;
const CURVATURE = 18;
const ACTIVE_EFFECT = 4_000;
const NOISE_SIGMA = 10_000;
const NOISE_CLAMP = 4; // ε is clamped to ±4σ so that no salary is negative
const CENT_ROUNDING_VARIANCE = 0.01 ** 2 / 12;
const NOISE_VARIANCE = NOISE_SIGMA ** 2 * clampedNormalVariance(NOISE_CLAMP) + CENT_ROUNDING_VARIANCE;

/** Signup dates: a day in the 3652 days ending on the reference day (10 years). */
const SIGNUP_DAYS = 3652;

/** Quirk thresholds on 32-bit (16-bit for nulls) row words: ≈ 0.1 %, 1 %, 0.2 %. */
const DUPLICATE_THRESHOLD = 4_294_967;
const FUTURE_THRESHOLD = 42_949_673;
const NULL_THRESHOLD = 131;

/** Rates of `quirks` dirt (per row, independent). */
const QUIRK_RATES = Object.freeze({
  /** A row written twice (exact duplicate, same id, next to each other). */
  duplicate: DUPLICATE_THRESHOLD / TWO_POW_32,
  /** A signup date 1…1095 days (up to 3 years) after the reference day. */
  futureSignup: FUTURE_THRESHOLD / TWO_POW_32,
  /** Each of name, age, salary, signup_date is null with this rate (131/65536). */
  null: NULL_THRESHOLD / 65_536,
});
const FUTURE_DAYS = 1095;

function meanSalary(age: number, isActive: boolean | number): number {
  const a = age - MIN_AGE;
  return BASE + SLOPE * a - CURVATURE * a * a + (isActive ? ACTIVE_EFFECT : 0);
}

/**
 * The `described` profile: the dataset as the study's text describes it, with an exact,
 * documented salary model so models can be judged against the best achievable error.
 */
export const describedProfile = Object.freeze({
  formula:
    'salary = round_half_even_to_cents(40000 + 2200·(age−18) − 18·(age−18)² + 4000·is_active + ε), ' +
    'ε = 10000·clamp(z, −4, 4), z ~ N(0, 1); age uniform 18–80; is_active ~ Bernoulli(0.5); ' +
    'name uniform over NAMES; signup_date uniform over the 3652 days ending on the reference day (midnight UTC)',
  minAge: MIN_AGE,
  maxAge: MIN_AGE + AGE_VALUES - 1,
  activeProbability: ACTIVE_PROBABILITY,
  activeEffect: ACTIVE_EFFECT,
  signupDays: SIGNUP_DAYS,
  /** E[salary | age, is_active]. */
  meanSalary,
  /** E[salary | age] (is_active unknown). */
  meanSalaryGivenAge: (age: number) => meanSalary(age, false) + ACTIVE_PROBABILITY * ACTIVE_EFFECT,
  noiseSigma: NOISE_SIGMA,
  noiseClamp: NOISE_CLAMP,
  /** Var(salary | age, is_active) including the clamp and cent rounding: the best achievable MSE. */
  noiseVariance: NOISE_VARIANCE,
  /** Var(salary | age): the best achievable MSE of a model that sees only age. */
  ageOnlyVariance: NOISE_VARIANCE + ACTIVE_EFFECT ** 2 * ACTIVE_PROBABILITY * (1 - ACTIVE_PROBABILITY),
  quirkRates: QUIRK_RATES,
  futureSignupMaxDays: FUTURE_DAYS,
});

// Stream offsets (golden-ratio Weyl increments) of the per-row words.
const S_DAY = 0x9e3779b9;
const S_NORMAL = 0x3c6ef372;
const S_LAYER = 0xdaa66d2b;
const S_DUPLICATE = 0x78dde6e4;
const S_FUTURE = 0x1715609d;
const S_NULL_A = 0xb54cda56;
const S_NULL_B = 0x5384540f;
const S_EXTRA = 0xf1bbcdc8;

/** name × age × is_active combinations drawn from one word (5 = NAMES.length). */
const CATEGORIES = 5 * AGE_VALUES * 2;

export interface DescribedSettings {
  seed: number;
  firstId: number;
  quirks: boolean;
  /** Epoch milliseconds of the reference day's midnight (UTC). */
  referenceDay: number;
}

/** The row key's seed-and-high-word part: `triple32(seed ^ mix32(hi + 0x9e3779b9))`. */
function highKey(seed: number, hi: number): number {
  return triple32((seed ^ mix32((hi + 0x9e3779b9) >>> 0)) >>> 0);
}

/** Microsecond timestamps of `days` consecutive midnights from `firstDayMs` by `stepDays`, as lo/hi words. */
function dayTable(firstDayMs: number, stepDays: number, days: number): Uint32Array {
  const table = new Uint32Array(days * 2);
  for (let d = 0; d < days; d++) setInt64(table, d, (firstDayMs + d * stepDays * MS_PER_DAY) * 1000);
  return table;
}

/**
 * The rows `owned` (ascending indices into the batch, id = firstId + index) of one partition.
 * Each row's values are pure functions of (seed, id), from 32-bit words:
 *   k = triple32(lo ^ triple32(seed ^ mix32(hi + 0x9e3779b9)))   (lo, hi: the id's 32-bit halves)
 *   word_s = mix32(k + S_s)                                         (one Weyl offset S_s per stream)
 * name, age and is_active come from k itself — c = floor(k·630 / 2^32): name = c mod 5,
 * age = 18 + floor(c/5) mod 63, is_active = floor(c/315) — the signup day from
 * word_day (floor(w·3652 / 2^32) days before the reference day), the noise z from a
 * 128-layer ziggurat on (word_normal, word_layer). Quirks are a second pass over the rows.
 */
export function describedPartition(
  settings: DescribedSettings,
  partitions: number,
  partition: number,
  owned: Uint32Array,
): PartitionColumns {
  const keys = settings.quirks ? new Uint32Array(owned.length) : undefined;
  if (keys === undefined) {
    const out = allocateColumns('described', partition, partitions, owned.length);
    fillRows(settings, owned, out, undefined);
    return out;
  }
  rowKeys(settings, owned, keys);
  let duplicates = 0;
  for (let i = 0; i < keys.length; i++) {
    if (mix32((keys[i] + S_DUPLICATE) >>> 0) < DUPLICATE_THRESHOLD) duplicates++;
  }
  const out = allocateColumns('described', partition, partitions, owned.length + duplicates);
  fillRows(settings, owned, out, keys);
  applyQuirks(settings, keys, out);
  return out;
}

/** The row keys k of the `owned` rows. */
function rowKeys(settings: DescribedSettings, owned: Uint32Array, keys: Uint32Array): void {
  const { seed, firstId } = settings;
  let hiKey = 0;
  let hiBase = 0;
  let hiEnd = 0;
  for (let i = 0; i < owned.length; i++) {
    const id = firstId + owned[i];
    if (id >= hiEnd) {
      const hi = Math.floor(id / TWO_POW_32);
      hiKey = highKey(seed, hi);
      hiBase = hi * TWO_POW_32;
      hiEnd = hiBase + TWO_POW_32;
    }
    keys[i] = triple32(((id - hiBase) ^ hiKey) >>> 0);
  }
}

/** Rows 0 … owned.length − 1 of `out`, without quirks. */
function fillRows(
  settings: DescribedSettings,
  owned: Uint32Array,
  out: PartitionColumns,
  knownKeys: Uint32Array | undefined,
): void {
  const { seed, firstId, referenceDay } = settings;
  const past = dayTable(referenceDay, -1, SIGNUP_DAYS);
  const means = new Float64Array(AGE_VALUES * 2);
  for (let a = 0; a < AGE_VALUES; a++) {
    means[2 * a] = meanSalary(MIN_AGE + a, 0);
    means[2 * a + 1] = meanSalary(MIN_AGE + a, 1);
  }
  const ids = int64Words(out.id);
  const dates = int64Words(out.signupDate);
  const { nameIndex, age, salary, isActive } = out;
  let hi = 0;
  let hiKey = 0;
  let hiBase = 0;
  let hiEnd = 0;
  for (let i = 0; i < owned.length; i++) {
    const id = firstId + owned[i];
    if (id >= hiEnd) {
      hi = Math.floor(id / TWO_POW_32);
      hiKey = highKey(seed, hi);
      hiBase = hi * TWO_POW_32;
      hiEnd = hiBase + TWO_POW_32;
    }
    const lo = id - hiBase;
    const k = knownKeys === undefined ? triple32((lo ^ hiKey) >>> 0) : knownKeys[i];
    const c = ((k * CATEGORIES) / TWO_POW_32) | 0;
    const name = c % 5;
    const c2 = (c / 5) | 0;
    const ageOffset = c2 % AGE_VALUES;
    const active = c2 >= AGE_VALUES ? 1 : 0;
    // Ziggurat fast path inline (zigguratNormal), the rare rest out of line.
    const hz = mix32((k + S_NORMAL) >>> 0) | 0;
    const iz = mix32((k + S_LAYER) >>> 0) & 127;
    let z = Math.abs(hz) < kn[iz] ? hz * wn[iz] : zigguratSlow(hz, iz, (k + S_EXTRA) >>> 0);
    if (z > NOISE_CLAMP) z = NOISE_CLAMP;
    else if (z < -NOISE_CLAMP) z = -NOISE_CLAMP;
    const d = ((mix32((k + S_DAY) >>> 0) * SIGNUP_DAYS) / TWO_POW_32) | 0;

    ids[2 * i] = lo;
    ids[2 * i + 1] = hi;
    nameIndex[i] = name;
    age[i] = MIN_AGE + ageOffset;
    isActive[i] = active;
    salary[i] = roundHalfEven((means[2 * ageOffset + active] + NOISE_SIGMA * z) * 100) / 100;
    dates[2 * i] = past[2 * d];
    dates[2 * i + 1] = past[2 * d + 1];
  }
}

/**
 * The quirks pass over rows filled by `fillRows` (row i at i, `out` sized for the
 * duplicates): walking backwards, row i moves to its final place (after the duplicates
 * before it), takes its future date and nulls, and is written twice if duplicated.
 */
function applyQuirks(settings: DescribedSettings, keys: Uint32Array, out: PartitionColumns): void {
  const future = dayTable(settings.referenceDay + MS_PER_DAY, 1, FUTURE_DAYS);
  const dates = int64Words(out.signupDate);
  const ids = int64Words(out.id);
  const { nameIndex, age, salary, isActive } = out;
  const valid = {
    name: new Uint8Array(out.count).fill(1),
    age: new Uint8Array(out.count).fill(1),
    salary: new Uint8Array(out.count).fill(1),
    signupDate: new Uint8Array(out.count).fill(1),
  };
  const nulls = { name: 0, age: 0, salary: 0, signupDate: 0 };
  let t = out.count - 1;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i];
    const copies = mix32((k + S_DUPLICATE) >>> 0) < DUPLICATE_THRESHOLD ? 2 : 1;
    if (mix32((k + S_FUTURE) >>> 0) < FUTURE_THRESHOLD) {
      const d = ((mix32((k + S_DAY) >>> 0) * FUTURE_DAYS) / TWO_POW_32) | 0;
      dates[2 * i] = future[2 * d];
      dates[2 * i + 1] = future[2 * d + 1];
    }
    // Nulls: name/age from the low/high 16 bits of word_nullA, salary/signup_date from word_nullB.
    const na = mix32((k + S_NULL_A) >>> 0);
    const nb = mix32((k + S_NULL_B) >>> 0);
    const nullName = (na & 0xffff) < NULL_THRESHOLD;
    const nullAge = na >>> 16 < NULL_THRESHOLD;
    const nullSalary = (nb & 0xffff) < NULL_THRESHOLD;
    const nullDate = nb >>> 16 < NULL_THRESHOLD;
    for (let c = 0; c < copies; c++, t--) {
      ids[2 * t] = ids[2 * i];
      ids[2 * t + 1] = ids[2 * i + 1];
      isActive[t] = isActive[i];
      nameIndex[t] = nullName ? 0 : nameIndex[i];
      age[t] = nullAge ? 0 : age[i];
      salary[t] = nullSalary ? 0 : salary[i];
      dates[2 * t] = nullDate ? 0 : dates[2 * i];
      dates[2 * t + 1] = nullDate ? 0 : dates[2 * i + 1];
      if (nullName) valid.name[t] = 0;
      if (nullAge) valid.age[t] = 0;
      if (nullSalary) valid.salary[t] = 0;
      if (nullDate) valid.signupDate[t] = 0;
    }
    if (nullName) nulls.name += copies;
    if (nullAge) nulls.age += copies;
    if (nullSalary) nulls.salary += copies;
    if (nullDate) nulls.signupDate += copies;
  }
  if (nulls.name > 0) out.validity.name = valid.name;
  if (nulls.age > 0) out.validity.age = valid.age;
  if (nulls.salary > 0) out.validity.salary = valid.salary;
  if (nulls.signupDate > 0) out.validity.signupDate = valid.signupDate;
}
