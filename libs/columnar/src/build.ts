import {
  Bool,
  type Data,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { ColumnTypeError } from './errors';

/** Per-row validity, one byte per row (1 = present), as the dataset generator and float64Column use. */
type Valid = { valid?: Uint8Array };

/** A column given as typed arrays; `valid` absent means no nulls. */
export type ColumnSpec =
  | ({ kind: 'int64'; values: BigInt64Array } & Valid)
  | ({ kind: 'int32'; values: Int32Array } & Valid)
  | ({ kind: 'float64'; values: Float64Array } & Valid)
  | ({ kind: 'bool'; values: Uint8Array } & Valid)
  | ({ kind: 'date'; days: Int32Array } & Valid)
  | ({ kind: 'timestamp'; unit: 'ms' | 'us' | 'ns'; values: BigInt64Array; timezone?: string } & Valid)
  | ({
      kind: 'dictionary';
      codes: Int32Array | Uint8Array | Uint16Array;
      dictionary: readonly string[];
    } & Valid);

function packBits(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

function nulls(
  valid: Uint8Array | undefined,
  n: number,
  name: string,
): { nullBitmap?: Uint8Array; nullCount?: number } {
  if (!valid) return {};
  if (valid.length < n) throw new ColumnTypeError(name, `valid has ${valid.length} entries for ${n} rows`);
  let missing = 0;
  for (let i = 0; i < n; i++) if (valid[i] === 0) missing++;
  return missing === 0 ? {} : { nullBitmap: packBits(valid, n), nullCount: missing };
}

const TIMESTAMPS = { ms: TimestampMillisecond, us: TimestampMicrosecond, ns: TimestampNanosecond };

function columnData(name: string, spec: ColumnSpec): Data {
  switch (spec.kind) {
    case 'int64':
    case 'int32':
    case 'float64': {
      const type = spec.kind === 'int64' ? new Int64() : spec.kind === 'int32' ? new Int32() : new Float64();
      const n = spec.values.length;
      return makeData({ type, length: n, data: spec.values, ...nulls(spec.valid, n, name) } as never);
    }
    case 'bool': {
      const n = spec.values.length;
      return makeData({
        type: new Bool(),
        length: n,
        data: packBits(spec.values, n),
        ...nulls(spec.valid, n, name),
      });
    }
    case 'date': {
      const n = spec.days.length;
      return makeData({ type: new DateDay(), length: n, data: spec.days, ...nulls(spec.valid, n, name) });
    }
    case 'timestamp': {
      const n = spec.values.length;
      const type = new TIMESTAMPS[spec.unit](spec.timezone);
      return makeData({ type, length: n, data: spec.values, ...nulls(spec.valid, n, name) } as never);
    }
    case 'dictionary': {
      const n = spec.codes.length;
      const codes = spec.codes instanceof Int32Array ? spec.codes : Int32Array.from(spec.codes);
      for (let i = 0; i < n; i++) {
        if (codes[i]! < 0 || codes[i]! >= spec.dictionary.length) {
          if (spec.valid && spec.valid[i] === 0) continue;
          throw new ColumnTypeError(name, `code ${codes[i]} at row ${i} is outside the dictionary`);
        }
      }
      const dictionary = vectorFromArray([...spec.dictionary], new Utf8());
      const type = new Dictionary(new Utf8(), new Int32());
      return makeData({ type, length: n, data: codes, dictionary, ...nulls(spec.valid, n, name) });
    }
  }
}

/** An Arrow Table from typed-array columns (no per-row objects), ready for writeParquet. */
export function tableFromColumns(columns: Record<string, ColumnSpec>): Table {
  const vectors: Record<string, Vector> = {};
  let length: number | undefined;
  for (const [name, spec] of Object.entries(columns)) {
    const data = columnData(name, spec);
    if (length !== undefined && data.length !== length) {
      throw new ColumnTypeError(name, `has ${data.length} rows, the columns before it ${length}`);
    }
    length = data.length;
    vectors[name] = makeVector(data);
  }
  return new Table(vectors);
}
