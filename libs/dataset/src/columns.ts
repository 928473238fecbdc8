/** The study's five names; `nameIndex` columns hold codes into this dictionary. */
export const NAMES: readonly string[] = Object.freeze(['Alice', 'Bob', 'Charlie', 'David', 'Eve']);

export type ProfileName = 'described' | 'study';

/** Per-row validity of the nullable columns: 1 = value present, 0 = null. */
export interface ColumnValidity {
  name?: Uint8Array;
  age?: Uint8Array;
  salary?: Uint8Array;
  signupDate?: Uint8Array;
}

/**
 * One partition of a generated batch, column by column, as typed arrays of length `count`.
 * Strings are dictionary codes (`nameIndex` into `names`), timestamps are microseconds
 * since the Unix epoch (UTC, Arrow `timestamp[us]`), booleans are 0/1 bytes.
 * Nulls: `validity.<column>` is present only when that column has nulls in this
 * partition; the value stored at a null row is 0.
 */
export interface PartitionColumns {
  profile: ProfileName;
  partition: number;
  partitions: number;
  count: number;
  /** Arrow int64. */
  id: BigInt64Array;
  nameIndex: Uint8Array;
  names: readonly string[];
  /** Arrow int32. */
  age: Int32Array;
  /** Arrow float64. */
  salary: Float64Array;
  /** Arrow timestamp[us], UTC. */
  signupDate: BigInt64Array;
  /** Arrow boolean, one byte per row. */
  isActive: Uint8Array;
  validity: ColumnValidity;
}

/** Columns of `count` rows, zero-filled. */
export function allocateColumns(
  profile: ProfileName,
  partition: number,
  partitions: number,
  count: number,
): PartitionColumns {
  return {
    profile,
    partition,
    partitions,
    count,
    id: new BigInt64Array(count),
    nameIndex: new Uint8Array(count),
    names: NAMES,
    age: new Int32Array(count),
    salary: new Float64Array(count),
    signupDate: new BigInt64Array(count),
    isActive: new Uint8Array(count),
    validity: {},
  };
}

/** The buffers of a partition, for transferring it between threads without copying. */
export function columnBuffers(columns: PartitionColumns): ArrayBuffer[] {
  const arrays = [
    columns.id,
    columns.nameIndex,
    columns.age,
    columns.salary,
    columns.signupDate,
    columns.isActive,
    ...Object.values(columns.validity),
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
