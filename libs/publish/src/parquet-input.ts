import { LocalFileSource, ParquetFormatError, ParquetReader } from '@lakestream/columnar';
import { hashPartition } from '@lakestream/dataset';
import { type Table, Type, type Vector } from 'apache-arrow';
import { ACTIVE, AGE, NAME, type PartitionSpill, SALARY, SIGNUP } from './files-spill';
import { type BadRow, InputFileError, listNames } from './input-errors';
import { RAW_COLUMNS } from './raw-table';

const RAW_NAMES: readonly string[] = RAW_COLUMNS.map((c) => c.name);
const TWO_POW_32 = 4294967296;

/** What each raw column accepts from a Parquet column (Arrow type ids). */
const ACCEPTED: Record<string, readonly Type[]> = {
  id: [Type.Int, Type.Null],
  name: [Type.Utf8, Type.LargeUtf8, Type.Dictionary, Type.Null],
  age: [Type.Int, Type.Float, Type.Null],
  salary: [Type.Int, Type.Float, Type.Null],
  signup_date: [Type.Timestamp, Type.Date, Type.Null],
  is_active: [Type.Bool, Type.Int, Type.Null],
};
// Type.Null: a column of nulls only (pyarrow's pa.nulls, Spark's all-null column), read as such.

/** The file and, for a ParquetFormatError, its row group and column, without naming the file twice. */
function parquetError(
  displayName: string,
  error: unknown,
  prefix: string,
  rowGroup?: number,
): InputFileError {
  if (error instanceof ParquetFormatError)
    return new InputFileError(
      { file: displayName, rowGroup: error.rowGroup ?? rowGroup, column: error.column },
      `${prefix}${error.reason}`,
      { cause: error },
    );
  return new InputFileError(
    { file: displayName, rowGroup },
    `${prefix}${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/** Opens a Parquet file and checks its columns against the raw table's (missing or extra columns). */
export async function openParquetInput(
  file: string,
  displayName: string,
  allowExtra: boolean,
): Promise<ParquetReader> {
  const source = new LocalFileSource(file);
  let reader: ParquetReader;
  try {
    reader = await ParquetReader.open(source);
  } catch (error) {
    await source.close();
    throw parquetError(displayName, error, 'not a readable Parquet file: ');
  }
  try {
    checkFields(reader, displayName, allowExtra);
  } catch (error) {
    await source.close();
    throw error;
  }
  return reader;
}

/** Closes the file a reader from openParquetInput holds. */
export const closeParquetInput = (reader: ParquetReader): Promise<void> =>
  (reader.source as LocalFileSource).close();

function checkFields(reader: ParquetReader, displayName: string, allowExtra: boolean): void {
  const fields = reader.footer.fields;
  const missing = RAW_NAMES.filter((n) => !fields.includes(n));
  if (missing.length)
    throw new InputFileError(
      { file: displayName },
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the file has ${listNames(fields)})`,
    );
  const extra = fields.filter((n) => !RAW_NAMES.includes(n));
  if (extra.length && !allowExtra)
    throw new InputFileError(
      { file: displayName },
      `unexpected column${extra.length > 1 ? 's' : ''} ${listNames(extra)} (expected exactly ${RAW_NAMES.join(', ')}; --allow-extra-columns drops them)`,
    );
  // A file without rows (with the right columns) is an empty input, published as such.
}

/**
 * Reads a Parquet file row group by row group (only the raw columns) into the spill, each row
 * to its id's hash partition. Values that do not fit (a null id, an age beyond int32, a
 * fractional age) are bad rows named by file, row group and column.
 */
export async function readParquetFile(
  reader: ParquetReader,
  displayName: string,
  spill: PartitionSpill,
  onBadRow: (row: BadRow) => void,
  onRowGroup?: (index: number) => void,
): Promise<{ rows: number; badRows: number }> {
  let rows = 0;
  let bad = 0;
  let rowGroup = 0;
  try {
    for await (const batch of reader.rowGroups({ columns: RAW_NAMES })) {
      rowGroup = batch.index;
      const r = addRowGroup(batch.table, displayName, batch.index, spill, (row) => {
        bad++;
        onBadRow(row);
      });
      rows += r;
      onRowGroup?.(batch.index);
    }
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw parquetError(
      displayName,
      error,
      error instanceof ParquetFormatError ? '' : 'cannot read the row group: ',
      rowGroup,
    );
  }
  return { rows, badRows: bad };
}

function addRowGroup(
  table: Table,
  file: string,
  rowGroup: number,
  spill: PartitionSpill,
  onBadRow: (row: BadRow) => void,
): number {
  const col = (name: string): Vector => {
    const v = table.getChild(name)!;
    if (!ACCEPTED[name]!.includes(v.type.typeId)) {
      let example = '';
      for (let i = 0; i < Math.min(v.length, 1000) && !example; i++) {
        const x: unknown = v.get(i);
        if (x !== null && x !== undefined)
          example = `, row ${i}: ${typeof x === 'bigint' ? String(x) : JSON.stringify(x)?.slice(0, 40)}`;
      }
      throw new InputFileError(
        { file, rowGroup, column: name },
        `expected ${RAW_COLUMNS.find((c) => c.name === name)!.type}, found ${v.type}${example ? ` (${example.slice(2)})` : ''}`,
      );
    }
    return v;
  };
  const id = col('id');
  const name = col('name');
  const age = col('age');
  const salary = col('salary');
  const signup = col('signup_date');
  const active = col('is_active');
  const n = table.numRows;
  const partitions = spill.partitions;
  let added = 0;
  for (let i = 0; i < n; i++) {
    const bad = (column: string, reason: string): void =>
      onBadRow({ file, rowGroup, column, reason: `row ${i}: ${reason}` });
    const idValue = id.get(i) as number | bigint | null;
    if (idValue === null) {
      bad('id', 'id is null (ids are required)');
      continue;
    }
    if (idValue < 0) {
      bad('id', `${idValue} is negative`);
      continue;
    }
    let lo: number;
    let hi: number;
    if (typeof idValue === 'bigint') {
      lo = Number(idValue & 0xffffffffn);
      hi = Number(idValue >> 32n);
    } else {
      lo = idValue >>> 0;
      hi = (idValue - lo) / TWO_POW_32;
    }
    let flags = 0;
    const nameValue = name.get(i) as string | null;
    if (nameValue !== null) flags |= NAME;
    let ageValue = 0;
    const a = age.get(i) as number | bigint | null;
    if (a !== null) {
      const x = Number(a);
      if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) {
        bad('age', `${a} is not an int32`);
        continue;
      }
      ageValue = x;
      flags |= AGE;
    }
    let salaryValue = 0;
    const s = salary.get(i) as number | bigint | null;
    if (s !== null) {
      salaryValue = Number(s);
      if (!Number.isFinite(salaryValue)) {
        bad('salary', `${s} is not a finite number`);
        continue;
      }
      flags |= SALARY;
    }
    let micros = 0;
    const d = signup.get(i) as number | null;
    if (d !== null) {
      micros = Math.round(d * 1000);
      flags |= SIGNUP;
    }
    let activeValue = 0;
    const b = active.get(i) as boolean | number | bigint | null;
    if (b !== null) {
      activeValue = typeof b === 'boolean' ? (b ? 1 : 0) : Number(b);
      if (activeValue !== 0 && activeValue !== 1) {
        bad('is_active', `${b} is not a boolean`);
        continue;
      }
      flags |= ACTIVE;
    }
    spill.add(
      hashPartition(idValue, partitions),
      lo,
      hi,
      nameValue ?? '',
      ageValue,
      salaryValue,
      micros,
      activeValue,
      flags,
    );
    added++;
  }
  return added;
}
