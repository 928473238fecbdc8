import { type Data, DataType, type Table, TimeUnit, Type } from 'apache-arrow';
import type { EmployeeColumns, EmployeeField } from './employees';
import { EtlInputError } from './errors';

/** What each raw column may be, as Arrow types the readers of pandas, Spark, DuckDB and us produce. */
const EXPECTED: Record<EmployeeField, string> = {
  id: 'an integer (int64 or int32)',
  name: 'a string (utf8, large utf8 or dictionary of utf8)',
  age: 'an integer',
  salary: 'a number (double, float or integer)',
  signup_date: 'a timestamp or date',
  is_active: 'a boolean',
};

/**
 * The study's raw columns from an Arrow table, as typed arrays with validity, refusing a
 * missing column or an unexpected type with the file and column named. Extra columns are ignored.
 */
export function employeesFromArrow(table: Table, file: string): EmployeeColumns {
  const n = table.numRows;
  const chunks = (field: EmployeeField): Data[] => {
    const col = table.getChild(field);
    if (!col)
      throw new EtlInputError(
        file,
        field,
        `missing required column (found: ${listNames(table.schema.fields.map((f) => f.name))})`,
      );
    return col.data as Data[];
  };
  const typeOf = (field: EmployeeField) =>
    (chunks(field)[0]?.type ?? table.schema.fields.find((f) => f.name === field)!.type) as DataType;
  const wrongType = (field: EmployeeField) =>
    new EtlInputError(
      file,
      field,
      `expected ${EXPECTED[field]}, found ${typeOf(field)}${firstValue(table, field)}`,
    );
  const valid: EmployeeColumns['valid'] = {};
  /** A column of Arrow's null type (pyarrow's pa.nulls, an all-null column from Spark) holds only nulls. */
  const nullType = (field: EmployeeField) => typeOf(field).typeId === Type.Null;

  /** Copies a column's values into `out` (typed arrays whole, others per row), unpacking validity once. */
  const fill = <A extends { [i: number]: number | bigint }>(
    field: EmployeeField,
    out: A,
    copy: (d: Data, out: A, at: number) => void,
  ) => {
    if (nullType(field)) {
      valid[field] = new Uint8Array(n);
      return out; // no buffers to copy: every value reads as zero
    }
    let row = 0;
    let mask: Uint8Array | undefined;
    for (const d of chunks(field)) {
      copy(d, out, row);
      const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
      if (bitmap) {
        if (!mask) mask = new Uint8Array(n).fill(1);
        for (let i = 0; i < d.length; i++) {
          const bit = d.offset + i;
          if (((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) {
            mask[row + i] = 0;
            // A null slot holds whatever the writer left there: read as zero, as before.
            out[row + i] = (typeof out[row + i] === 'bigint' ? 0n : 0) as A[number];
          }
        }
      }
      row += d.length;
    }
    if (mask) valid[field] = mask;
    return out;
  };
  /** Same-typed values copy in one `set`; others convert per row with `convert`. */
  const copier =
    <A extends BigInt64Array | Int32Array | Float64Array>(
      same: (values: unknown) => boolean,
      convert: (v: number | bigint) => A[number],
    ) =>
    (d: Data, out: A, at: number) => {
      const values = d.values as ArrayLike<number | bigint>;
      if (same(values)) {
        (out as Int32Array).set((values as Int32Array).subarray(d.offset, d.offset + d.length), at);
        return;
      }
      for (let i = 0; i < d.length; i++) out[at + i] = convert(values[d.offset + i]!);
    };

  const idType = typeOf('id');
  if (!DataType.isInt(idType) && !nullType('id')) throw wrongType('id');
  const id = fill(
    'id',
    new BigInt64Array(n),
    copier<BigInt64Array>(
      (v) => v instanceof BigInt64Array,
      (v) => BigInt(v),
    ),
  );

  if (!DataType.isInt(typeOf('age')) && !nullType('age')) throw wrongType('age');
  const age = fill(
    'age',
    new Int32Array(n),
    copier<Int32Array>(
      (v) => v instanceof Int32Array,
      // An int64 age beyond int32 would wrap into a plausible one: make it one VALID_AGES drops.
      (v) => (v > 2147483647 || v < -2147483648 ? -2147483648 : Number(v)),
    ),
  );

  const salaryType = typeOf('salary');
  if (!DataType.isFloat(salaryType) && !DataType.isInt(salaryType) && !nullType('salary'))
    throw wrongType('salary');
  const salary = fill(
    'salary',
    new Float64Array(n),
    copier<Float64Array>(
      (v) => v instanceof Float64Array,
      (v) => Number(v),
    ),
  );

  const signupType = typeOf('signup_date');
  let toUs: (v: number | bigint) => bigint = (v) => BigInt(v);
  let microseconds = false;
  if (DataType.isTimestamp(signupType)) {
    const unit = signupType.unit;
    microseconds = unit === TimeUnit.MICROSECOND;
    toUs =
      unit === TimeUnit.SECOND
        ? (v) => BigInt(v) * 1_000_000n
        : unit === TimeUnit.MILLISECOND
          ? (v) => BigInt(v) * 1000n
          : unit === TimeUnit.MICROSECOND
            ? (v) => BigInt(v)
            : (v) => BigInt(v) / 1000n;
  } else if (DataType.isDate(signupType)) {
    toUs = signupType.unit === 0 ? (v) => BigInt(v) * 86_400_000_000n : (v) => BigInt(v) * 1000n;
  } else if (!nullType('signup_date')) throw wrongType('signup_date');
  const signupUs = fill(
    'signup_date',
    new BigInt64Array(n),
    copier<BigInt64Array>((v) => microseconds && v instanceof BigInt64Array, toUs),
  );

  if (!DataType.isBool(typeOf('is_active')) && !nullType('is_active')) throw wrongType('is_active');
  const isActive = fill('is_active', new Uint8Array(n), (d, out, at) => {
    const bits = d.values as Uint8Array;
    for (let i = 0; i < d.length; i++) {
      const bit = d.offset + i;
      out[at + i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
    }
  });

  return {
    length: n,
    id,
    name: readNames(chunks('name'), n, valid, file),
    age,
    salary,
    signupUs,
    isActive,
    valid,
  };
}

/** Names as dictionary codes; each distinct name is decoded once, whatever the row count. */
function readNames(
  chunks: Data[],
  n: number,
  valid: EmployeeColumns['valid'],
  file: string,
): EmployeeColumns['name'] {
  const codes = new Int32Array(n);
  const dictionary: string[] = [];
  const byText = new Map<string, number>();
  const byHash = new Map<number, number[]>();
  const dictBytes: Uint8Array[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const codeOf = (bytes: Uint8Array, where: string): number => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new EtlInputError(
        file,
        'name',
        `${where}: "${escapeBytes(bytes)}" is not valid UTF-8 (expected UTF-8 strings)`,
      );
    }
    let code = byText.get(text);
    if (code === undefined) {
      code = dictionary.push(text) - 1;
      byText.set(text, code);
    }
    return code;
  };
  let row = 0;
  let mask: Uint8Array | undefined;
  for (const d of chunks) {
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    if (bitmap && !mask) mask = new Uint8Array(n).fill(1);
    const isNull = (i: number) =>
      bitmap !== undefined && ((bitmap[(d.offset + i) >> 3]! >> ((d.offset + i) & 7)) & 1) === 0;
    if (d.typeId === Type.Null) {
      mask ??= new Uint8Array(n).fill(1);
      mask.fill(0, row, row + d.length);
      row += d.length;
    } else if (d.typeId === Type.Dictionary) {
      const dict = d.dictionary?.data[0];
      if (!dict) throw new EtlInputError(file, 'name', 'dictionary column without a dictionary');
      const local = new Int32Array(dict.length);
      for (let k = 0; k < dict.length; k++) local[k] = codeOf(stringBytes(dict, k), `dictionary entry ${k}`);
      const indices = d.values as ArrayLike<number>;
      for (let i = 0; i < d.length; i++, row++) {
        if (isNull(i)) mask![row] = 0;
        else codes[row] = local[indices[d.offset + i]]!;
      }
    } else if (d.typeId === Type.Utf8 || d.typeId === Type.LargeUtf8) {
      // Names repeat: find a row's code by a hash of its bytes, decoding each distinct name once.
      for (let i = 0; i < d.length; i++, row++) {
        if (isNull(i)) {
          mask![row] = 0;
          continue;
        }
        const bytes = stringBytes(d, i);
        const h = fnv1a(bytes);
        let code = -1;
        for (const c of byHash.get(h) ?? []) {
          if (equalBytes(bytes, dictBytes[c]!)) {
            code = c;
            break;
          }
        }
        if (code < 0) {
          code = codeOf(bytes, `row ${row}`);
          if (dictBytes[code] === undefined) {
            dictBytes[code] = bytes.slice();
            byHash.set(h, [...(byHash.get(h) ?? []), code]);
          }
        }
        codes[row] = code;
      }
    } else {
      throw new EtlInputError(
        file,
        'name',
        `expected a string (utf8, large utf8 or dictionary of utf8), found ${d.type}`,
      );
    }
  }
  if (mask) valid.name = mask;
  return { codes, dictionary };
}

/** `Jos\xe9`: printable ASCII as is, other bytes escaped, at most 32 bytes shown. */
function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes.subarray(0, 32))
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return bytes.byteLength > 32 ? `${out}…` : out;
}

/** At most this many column names in a message (a file may have thousands). */
const NAMES_SHOWN = 20;

export function listNames(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')} … and ${names.length - NAMES_SHOWN} more`;
}

/** ` (row 0: "20")`: the first value of a column of the wrong type, to show what it holds. */
function firstValue(table: Table, field: string): string {
  const column = table.getChild(field);
  if (!column) return '';
  const rows = Math.min(column.length, 1000);
  for (let i = 0; i < rows; i++) {
    const v: unknown = column.get(i);
    if (v === null || v === undefined) continue;
    const text = typeof v === 'bigint' ? String(v) : JSON.stringify(v);
    return ` (row ${i}: ${text === undefined ? String(v) : text.slice(0, 40)})`;
  }
  return '';
}

function stringBytes(d: Data, i: number): Uint8Array {
  const offsets = d.valueOffsets as ArrayLike<number | bigint>;
  const start = Number(offsets[d.offset + i]!);
  const end = Number(offsets[d.offset + i + 1]!);
  return (d.values as Uint8Array).subarray(start, end);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  return h >>> 0;
}
