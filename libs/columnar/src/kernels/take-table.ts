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

/** For each asked row: which chunk holds it and where in that chunk (two typed arrays, no row objects). */
function locate(chunks: readonly AnyData[], indices: Uint32Array): { chunk: Uint32Array; row: Uint32Array } {
  const starts = new Float64Array(chunks.length + 1);
  for (let k = 0; k < chunks.length; k++) starts[k + 1] = starts[k]! + chunks[k]!.length;
  const chunk = new Uint32Array(indices.length);
  const row = new Uint32Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j]!;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    chunk[j] = lo;
    row[j] = i - starts[lo]!;
  }
  return { chunk, row };
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
  const where = locate(chunks, indices);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let j = 0; j < n; j++) {
    const data = chunks[where.chunk[j]]!;
    const row = where.row[j]!;
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
      const data = chunks[where.chunk[j]]!;
      const row = where.row[j]!;
      const values = data.values as unknown as ArrayLike<number | bigint>;
      for (let s = 0; s < stride; s++) out[j * stride + s] = values[row * stride + s]!;
    }
    const props = { type, length: n, nullCount, nullBitmap, data: out, dictionary: chunks[0]!.dictionary };
    return makeData(props as never) as AnyData;
  }
  if (DataType.isBool(type)) {
    const out = new Uint8Array((n + 7) >> 3);
    for (let j = 0; j < n; j++) {
      const data = chunks[where.chunk[j]]!;
      const row = where.row[j]!;
      if (bitAt(data.values as Uint8Array, data.offset + row)) out[j >> 3]! |= 1 << (j & 7);
    }
    return makeData({ type, length: n, nullCount, nullBitmap, data: out }) as AnyData;
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    const offsets = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) {
      const data = chunks[where.chunk[j]]!;
      const row = where.row[j]!;
      const o = data.valueOffsets as Int32Array;
      offsets[j + 1] = offsets[j]! + (o[row + 1]! - o[row]!);
    }
    const bytes = new Uint8Array(offsets[n]!);
    for (let j = 0; j < n; j++) {
      const data = chunks[where.chunk[j]]!;
      const row = where.row[j]!;
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
