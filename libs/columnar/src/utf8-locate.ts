import { isUtf8 } from 'node:buffer';
import { type Data, tableFromIPC } from 'apache-arrow';
import type { ParquetFooter, RowGroupInfo } from './footer';
import { assembleRowGroupFile, type FetchedChunk, projectFooter } from './mini-file';
import { copyList, copyStruct, type ThriftStruct } from './thrift-compact';
import { parquetWasm } from './wasm';

/** Bytes shown of a bad value: enough to recognise it, bounded for a message. */
const SHOWN = 32;

/** `Jos\xE9`: the value with every byte that is not printable ASCII escaped. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes.subarray(0, SHOWN))
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return bytes.byteLength > SHOWN ? `${out}…` : out;
}

/**
 * When a string column of one row group holds bytes that are not UTF-8 (parquet-wasm refuses
 * the whole chunk, naming a byte offset nobody can use), reads it again as plain binary and
 * names the first bad row and its bytes (or the dictionary, when no row uses the bad entry).
 * Undefined when the column cannot be read that way either.
 */
export function locateInvalidUtf8(
  footer: ParquetFooter,
  group: RowGroupInfo,
  chunks: FetchedChunk[],
  column: string,
): string | undefined {
  const projection = projectFooter(footer, [column]);
  // Without its logical type (and the Arrow schema hint) a BYTE_ARRAY column reads as binary, unchecked.
  projection.schema = copyList(
    projection.schema,
    projection.schema.map((element, i) => {
      if (i === 0) return element;
      const copy = copyStruct(element as ThriftStruct);
      copy.delete(6); // converted_type (UTF8)
      copy.delete(10); // logicalType (STRING)
      return copy;
    }),
  );
  const kvs = footer.raw.get(5);
  if (Array.isArray(kvs)) projection.keyValueMetadata = copyList(kvs, []);
  const own = chunks.filter((c) => group.columns[c.column]!.field === column);
  let table: ReturnType<typeof tableFromIPC>;
  try {
    const file = assembleRowGroupFile(footer, projection, group.index, own);
    table = tableFromIPC(
      parquetWasm.readParquet(file, { batchSize: Math.max(1, group.numRows) }).intoIPCStream(),
    );
  } catch {
    return undefined;
  }
  const vector = table.getChild(column);
  if (!vector) return undefined;
  let row = 0;
  for (const d of vector.data as Data[]) {
    const offsets = d.valueOffsets as ArrayLike<number | bigint> | undefined;
    const values = d.values as Uint8Array | undefined;
    if (!offsets || !(values instanceof Uint8Array)) return undefined;
    for (let i = 0; i < d.length; i++, row++) {
      if (!d.getValid(i)) continue;
      const bytes = values.subarray(Number(offsets[d.offset + i]!), Number(offsets[d.offset + i + 1]!));
      if (!isUtf8(bytes))
        return `row ${row}: "${escapeBytes(bytes)}" is not valid UTF-8 (expected UTF-8 strings)`;
    }
  }
  // A dictionary page may hold entries no row of this group uses (pyarrow writes the whole dictionary).
  return own.some((c) => group.columns[c.column]!.hasDictionaryPage)
    ? 'its dictionary holds a value that is not valid UTF-8, used by no row of this row group (expected UTF-8 strings)'
    : undefined;
}
