import { type Data, DataType, DateUnit, type RecordBatch, type Table, TimeUnit } from 'apache-arrow';
import { ColumnTypeError } from './errors';

/**
 * A column as one Float64Array for the kernels. Integers, floats, booleans (0/1), dates and
 * timestamps are all converted; **dates and timestamps become epoch milliseconds** (sub-ms parts
 * of µs/ns timestamps kept as fractions, exact to about 0.25 µs for present-day dates). Null
 * slots hold NaN and are 0 in `valid`; `valid` is null when the column has no nulls.
 */
export interface Float64Column {
  name: string;
  values: Float64Array;
  /** One byte per row, 1 = value present; null when every row is present. */
  valid: Uint8Array | null;
  nullCount: number;
}

/** Strings as dictionary codes: `dictionary[codes[i]]`, with -1 for null. */
export interface StringColumn {
  name: string;
  codes: Int32Array;
  dictionary: string[];
  nullCount: number;
}

type Source = Table | RecordBatch;

function chunksOf(source: Source, name: string): { chunks: readonly Data[]; length: number; type: DataType } {
  const vector = source.getChild(name);
  if (!vector) {
    const names = source.schema.fields.map((f) => f.name).join(', ');
    throw new ColumnTypeError(name, `no such column (have ${names})`);
  }
  return { chunks: vector.data, length: vector.length, type: vector.type };
}

/** Byte-per-row validity of one chunk written into `out` at `at`; returns its null count. */
function copyValidity(data: Data, out: Uint8Array, at: number): number {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) {
    out.fill(1, at, at + data.length);
    return 0;
  }
  let nulls = 0;
  const offset = data.offset;
  for (let i = 0; i < data.length; i++) {
    const bit = offset + i;
    const v = (bitmap[bit >> 3]! >> (bit & 7)) & 1;
    out[at + i] = v;
    nulls += 1 - v;
  }
  return nulls;
}

/** Multiplier from the stored integer to epoch milliseconds, or 1 for plain numbers. */
function toMillis(type: DataType): number {
  if (DataType.isTimestamp(type)) {
    return [1000, 1, 1e-3, 1e-6][type.unit as TimeUnit]!;
  }
  if (DataType.isDate(type)) return type.unit === DateUnit.DAY ? 86_400_000 : 1;
  return 1;
}

function copyValues(data: Data, type: DataType, name: string, out: Float64Array, at: number): void {
  const n = data.length;
  if (DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    for (let i = 0; i < n; i++) {
      const bit = data.offset + i;
      out[at + i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
    }
    return;
  }
  const isNumeric =
    DataType.isInt(type) || DataType.isTimestamp(type) || DataType.isDate(type) || DataType.isFloat(type);
  if (!isNumeric || (DataType.isFloat(type) && type.precision === 0)) {
    throw new ColumnTypeError(name, `type ${type} has no Float64 view`);
  }
  const values = data.values as ArrayLike<number | bigint>;
  const scale = toMillis(type);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[at + i] = Number(values[i]!) * scale;
  } else if (scale === 1) {
    out.set((values as Float64Array).subarray(0, n), at);
  } else {
    for (let i = 0; i < n; i++) out[at + i] = (values[i] as number) * scale;
  }
}

/** The named column as Float64 values (see Float64Column for the conversions). */
export function float64Column(source: Source, name: string): Float64Column {
  const { chunks, length, type } = chunksOf(source, name);
  const values = new Float64Array(length);
  const valid = new Uint8Array(length);
  let nullCount = 0;
  let at = 0;
  for (const data of chunks) {
    copyValues(data, type, name, values, at);
    nullCount += copyValidity(data, valid, at);
    at += data.length;
  }
  if (nullCount === 0) return { name, values, valid: null, nullCount };
  for (let i = 0; i < length; i++) if (valid[i] === 0) values[i] = Number.NaN;
  return { name, values, valid, nullCount };
}

const encoder = new TextEncoder();

function sameBytes(known: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}

/** The named string column (Utf8 or dictionary of Utf8) as codes into a dictionary. */
export function stringColumn(source: Source, name: string): StringColumn {
  const { chunks, length, type } = chunksOf(source, name);
  const codes = new Int32Array(length);
  const dictionary: string[] = [];
  const lookup = new Map<string, number>();
  const valid = new Uint8Array(length);
  const codeOf = (s: string): number => {
    let code = lookup.get(s);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(s);
      lookup.set(s, code);
    }
    return code;
  };
  const decoder = new TextDecoder();
  const byHash = new Map<number, number>();
  const dictionaryBytes: Uint8Array[] = [];
  let nullCount = 0;
  let at = 0;
  for (const data of chunks) {
    nullCount += copyValidity(data, valid, at);
    if (DataType.isDictionary(type)) {
      const dict = data.dictionary;
      const remap = Int32Array.from({ length: dict?.length ?? 0 }, (_, i) => {
        const before = dictionary.length;
        const code = codeOf(String(dict!.get(i)));
        if (code === before) dictionaryBytes.push(encoder.encode(dictionary[code]));
        return code;
      });
      const indices = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) codes[at + i] = remap[Number(indices[i])]!;
    } else if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const bytes = data.values as Uint8Array;
      for (let i = 0; i < data.length; i++) {
        const start = Number(offsets[i]!);
        const end = Number(offsets[i + 1]!);
        // Look strings up by a hash of their bytes; decode only the first time one is seen.
        let h = 0x811c9dc5;
        for (let b = start; b < end; b++) h = Math.imul(h ^ bytes[b]!, 0x01000193);
        const known = byHash.get(h);
        if (known !== undefined && sameBytes(dictionaryBytes[known]!, bytes, start, end)) {
          codes[at + i] = known;
          continue;
        }
        const before = dictionary.length;
        const code = codeOf(decoder.decode(bytes.subarray(start, end)));
        if (code === before) dictionaryBytes.push(bytes.slice(start, end));
        if (known === undefined) byHash.set(h, code);
        codes[at + i] = code;
      }
    } else {
      throw new ColumnTypeError(name, `type ${type} is not a string`);
    }
    at += data.length;
  }
  if (nullCount > 0) for (let i = 0; i < length; i++) if (valid[i] === 0) codes[i] = -1;
  return { name, codes, dictionary, nullCount };
}
