import { InvalidInputError } from '@lakestream/core';
import type { ProfileName } from './columns';
import { DEFAULT_STUDY_CHUNK_ROWS } from './study';

const MS_PER_DAY = 86_400_000;
const MAX_ID = 2 ** 53;

export interface GenerateOptions {
  /** Rows of the batch: distinct ids for `described` (quirks add duplicates), total rows for `study`. */
  rows: number;
  /** Partitions of the batch (rows go to `hashPartition(id, partitions)`); default 1. */
  partitions?: number;
  /** Default 42. For `study` it is `np.random.seed(seed)`. An integer in [0, 2^32). */
  seed?: number;
  /** Default `described`. */
  profile?: ProfileName;
  /** `described` only: add the study's dirt (future dates, duplicate rows, nulls). Default false. */
  quirks?: boolean;
  /**
   * `described` only: signup dates end on this day (truncated to midnight UTC). Default:
   * today — pass it explicitly for reproducible output.
   */
  referenceDate?: Date | number | string;
  /** `described` only: the first id (ids are firstId … firstId + rows − 1). Default 0. */
  firstId?: number;
  /** `study` only: rows per `np.random.seed` chunk. Default 5,000,000. */
  studyChunkRows?: number;
}

export interface PartitionOptions extends GenerateOptions {
  partition: number;
}

/** Options with every default applied; the same on every thread. */
export interface ResolvedOptions {
  rows: number;
  partitions: number;
  seed: number;
  profile: ProfileName;
  quirks: boolean;
  /** Epoch milliseconds of the reference day's midnight, UTC. */
  referenceDay: number;
  firstId: number;
  studyChunkRows: number;
}

function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${field} must be an integer in [${min}, ${max}], got ${value}`, field);
  }
  return value;
}

function referenceDayOf(value: Date | number | string | undefined): number {
  const ms =
    value === undefined ? Date.now() : value instanceof Date ? value.getTime() : new Date(value).getTime();
  if (!Number.isFinite(ms)) {
    throw new InvalidInputError(`referenceDate is not a date: ${String(value)}`, 'referenceDate');
  }
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const profile = options.profile ?? 'described';
  if (profile !== 'described' && profile !== 'study') {
    throw new InvalidInputError(
      `unknown profile ${JSON.stringify(profile)}: expected described or study`,
      'profile',
    );
  }
  const rows = integerIn('rows', options.rows, 0, 0xffffffff);
  const partitions = integerIn('partitions', options.partitions ?? 1, 1, 1 << 20);
  const seed = integerIn('seed', options.seed ?? 42, 0, 0xffffffff);
  const firstId = integerIn('firstId', options.firstId ?? 0, 0, MAX_ID - 1 - rows);
  const studyChunkRows = integerIn(
    'studyChunkRows',
    options.studyChunkRows ?? DEFAULT_STUDY_CHUNK_ROWS,
    1,
    0xffffffff,
  );
  const quirks = options.quirks ?? false;
  if (profile === 'study' && (quirks || firstId !== 0)) {
    throw new InvalidInputError(
      'quirks and firstId apply to the described profile only',
      quirks ? 'quirks' : 'firstId',
    );
  }
  return {
    rows,
    partitions,
    seed,
    profile,
    quirks,
    referenceDay: referenceDayOf(options.referenceDate),
    firstId,
    studyChunkRows,
  };
}

export function checkPartition(resolved: ResolvedOptions, partition: number): number {
  return integerIn('partition', partition, 0, resolved.partitions - 1);
}
