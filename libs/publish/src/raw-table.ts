import type { PartitionColumns } from '@lakestream/dataset';
import {
  Bool,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';

/** The raw table's columns as Arrow prints their types: part of every BatchManifest. */
export const RAW_COLUMNS = [
  { name: 'id', type: 'int64', nullable: false },
  { name: 'name', type: 'dictionary<values=utf8, indices=int32>', nullable: true },
  { name: 'age', type: 'int32', nullable: true },
  { name: 'salary', type: 'float64', nullable: true },
  { name: 'signup_date', type: 'timestamp[us]', nullable: true },
  { name: 'is_active', type: 'bool', nullable: true },
] as const;

/** Arrow validity bitmaps are LSB-first bits; ours are one byte per row. */
function bitmap(valid: Uint8Array | undefined, n: number): Uint8Array | undefined {
  if (!valid) return undefined;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (valid[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

const nullsIn = (valid: Uint8Array | undefined, n: number): number => {
  if (!valid) return 0;
  let k = 0;
  for (let i = 0; i < n; i++) k += 1 - valid[i]!;
  return k;
};

/**
 * A generated partition as the raw Arrow table, in the study's schema: timestamps in
 * microseconds without a time zone (as pandas wrote them), names dictionary-encoded.
 */
export function partitionToArrow(c: PartitionColumns): Table {
  const n = c.count;
  const v = c.validity;
  const active = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (c.isActive[i] === 1) active[i >> 3]! |= 1 << (i & 7);
  const column = <T extends Parameters<typeof makeData>[0]>(props: T, valid: Uint8Array | undefined) =>
    makeVector(makeData({ ...props, nullBitmap: bitmap(valid, n), nullCount: nullsIn(valid, n) } as never));
  return new Table({
    id: makeVector(makeData({ type: new Int64(), length: n, data: c.id })),
    name: column(
      {
        type: new Dictionary(new Utf8(), new Int32()),
        length: n,
        data: Int32Array.from(c.nameIndex),
        dictionary: vectorFromArray([...c.names], new Utf8()),
      },
      v.name,
    ),
    age: column({ type: new Int32(), length: n, data: c.age }, v.age),
    salary: column({ type: new Float64(), length: n, data: c.salary }, v.salary),
    signup_date: column({ type: new TimestampMicrosecond(), length: n, data: c.signupDate }, v.signupDate),
    is_active: makeVector(makeData({ type: new Bool(), length: n, data: active })),
  });
}
