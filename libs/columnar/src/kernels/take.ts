export type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

/** `values[indices[j]]` for each j, into a new array of the same kind (or `out`). */
export function take<T extends NumericArray>(values: T, indices: Uint32Array, out?: T): T {
  const result = out ?? (new (values.constructor as new (n: number) => T)(indices.length) as T);
  if (result.length < indices.length)
    throw new RangeError(`out holds ${result.length}, need ${indices.length}`);
  const n = values.length;
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j]!;
    if (i >= n) throw new RangeError(`index ${i} is out of range for ${n} values`);
    result[j] = values[i]!;
  }
  return result;
}
