import {
  type Data,
  DataType,
  makeData,
  RecordBatch,
  Struct,
  Table,
  type TypeMap,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';

type AnyData = Data<DataType>;

/** For global row i: its chunk and row within the chunk, via the chunks' start offsets. */
function locator(chunks: readonly AnyData[]): (i: number) => [AnyData, number] {
  const starts = new Float64Array(chunks.length);
  let at = 0;
  chunks.forEach((c, k) => {
    starts[k] = at;
    at += c.length;
  });
  if (chunks.length === 1) return (i) => [chunks[0]!, i];
  return (i) => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return [chunks[lo]!, i - starts[lo]!];
  };
}

function bitAt(bits: Uint8Array, bit: number): number {
  return (bits[bit >> 3]! >> (bit & 7)) & 1;
}

function isValid(data: AnyData, row: number): boolean {
  return data.nullCount === 0 || !data.nullBitmap?.length || bitAt(data.nullBitmap, data.offset + row) === 1;
}

function takeColumn(vector: Vector, indices: Uint32Array): AnyData {
  const type = vector.type as DataType;
  const n = indices.length;
  const chunks = vector.data as AnyData[];
  const at = locator(chunks);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let j = 0; j < n; j++) {
    const [data, row] = at(indices[j]!);
    if (isValid(data, row)) bitmap[j >> 3]! |= 1 << (j & 7);
    else nullCount++;
  }
  const nullBitmap = nullCount > 0 ? bitmap : undefined;
  const sameDictionary = chunks.every((c) => c.dictionary === chunks[0]?.dictionary);
  const fixedWidth =
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isTimestamp(type) ||
    DataType.isDate(type) ||
    DataType.isTime(type) ||
    DataType.isDuration(type) ||
    (DataType.isDictionary(type) && sameDictionary);
  if (fixedWidth && chunks.length > 0) {
    const stride = chunks[0]!.stride;
    const Ctor = (chunks[0]!.values as { constructor: new (n: number) => ArrayLike<number> }).constructor;
    const out = new Ctor(n * stride) as unknown as { [k: number]: number | bigint };
    for (let j = 0; j < n; j++) {
      const [data, row] = at(indices[j]!);
      const values = data.values as unknown as ArrayLike<number | bigint>;
      for (let s = 0; s < stride; s++) out[j * stride + s] = values[row * stride + s]!;
    }
    const props = { type, length: n, nullCount, nullBitmap, data: out, dictionary: chunks[0]!.dictionary };
    return makeData(props as never) as AnyData;
  }
  if (DataType.isBool(type)) {
    const out = new Uint8Array((n + 7) >> 3);
    for (let j = 0; j < n; j++) {
      const [data, row] = at(indices[j]!);
      if (bitAt(data.values as Uint8Array, data.offset + row)) out[j >> 3]! |= 1 << (j & 7);
    }
    return makeData({ type, length: n, nullCount, nullBitmap, data: out }) as AnyData;
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    const offsets = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) {
      const [data, row] = at(indices[j]!);
      const o = data.valueOffsets as Int32Array;
      offsets[j + 1] = offsets[j]! + (o[row + 1]! - o[row]!);
    }
    const bytes = new Uint8Array(offsets[n]!);
    for (let j = 0; j < n; j++) {
      const [data, row] = at(indices[j]!);
      const o = data.valueOffsets as Int32Array;
      bytes.set((data.values as Uint8Array).subarray(o[row]!, o[row + 1]!), offsets[j]!);
    }
    const props = { type, length: n, nullCount, nullBitmap, valueOffsets: offsets, data: bytes };
    return makeData(props as never) as AnyData;
  }
  // Anything else (nested, large offsets, mixed dictionaries): through row values, still correct.
  const values = Array.from(indices, (i) => vector.get(i));
  return vectorFromArray(values, type).data[0] as AnyData;
}

/** The rows `indices` of every column, in that order, as a new single-batch Table. */
export function takeTable(source: Table | RecordBatch, indices: Uint32Array): Table {
  const limit = source.numRows;
  for (let j = 0; j < indices.length; j++) {
    if (indices[j]! >= limit) throw new RangeError(`row ${indices[j]} is out of range for ${limit} rows`);
  }
  const schema = source.schema;
  const children = schema.fields.map((_, k) => takeColumn(source.getChildAt(k)!, indices));
  const struct = makeData({ type: new Struct<TypeMap>(schema.fields), length: indices.length, children });
  return new Table([new RecordBatch(schema, struct)]);
}
