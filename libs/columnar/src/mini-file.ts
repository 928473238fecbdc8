import { RecordBatchReader, Schema, Table, tableToIPC } from 'apache-arrow';
import type { ParquetFooter } from './footer';
import { copyList, copyStruct, encodeStruct, type ThriftList, type ThriftStruct } from './thrift-compact';

/** A fetched column chunk: its leaf index in the row group and its bytes. */
export interface FetchedChunk {
  column: number;
  bytes: Uint8Array;
}

/** The parts of the footer that depend only on which top-level fields are read. */
export interface Projection {
  fields: string[];
  /** Leaf (column chunk) indices of those fields, in file order. */
  leaves: number[];
  schema: ThriftList;
  columnOrders?: ThriftList;
  keyValueMetadata?: ThriftList;
}

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // PAR1
const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** The Arrow schema hint (ARROW:schema) cut down to `fields`; undefined when it cannot be. */
function projectArrowSchema(encoded: string, fields: string[]): string | undefined {
  try {
    const bytes = Buffer.from(encoded, 'base64');
    const eos = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    const reader = RecordBatchReader.from(Buffer.concat([bytes, eos]));
    reader.open();
    const schema = reader.schema;
    const kept = fields.map((f) => schema.fields.find((x) => x.name === f));
    if (kept.some((f) => f === undefined)) return undefined;
    const projected = new Schema(kept as NonNullable<(typeof kept)[number]>[], schema.metadata);
    return Buffer.from(tableToIPC(new Table(projected), 'stream')).toString('base64');
  } catch {
    return undefined;
  }
}

/** Schema, column orders and key/value metadata of the footer cut down to `fields`. */
export function projectFooter(footer: ParquetFooter, fields: readonly string[]): Projection {
  const wanted = footer.fields.filter((f) => fields.includes(f));
  const elements = footer.raw.get(2) as ThriftList;
  // Schema elements: the root, then each top-level field's subtree (pre-order, file order).
  const schema: ThriftList = [];
  const root = copyStruct(elements[0] as ThriftStruct);
  root.set(5, wanted.length);
  schema.push(root);
  let next = 1;
  const subtreeEnd = (at: number): number => {
    const children = ((elements[at] as ThriftStruct).get(5) as number | undefined) ?? 0;
    let end = at + 1;
    for (let i = 0; i < children; i++) end = subtreeEnd(end);
    return end;
  };
  for (let f = 0; f < footer.fields.length; f++) {
    const end = subtreeEnd(next);
    if (wanted.includes(footer.fields[f]!)) schema.push(...elements.slice(next, end));
    next = end;
  }
  const leaves = footer.leaves.flatMap((leaf, i) => (wanted.includes(leaf.field) ? [i] : []));
  const orders = footer.raw.get(7) as ThriftList | undefined;
  const kvs = footer.raw.get(5) as ThriftList | undefined;
  let keyValueMetadata: ThriftList | undefined;
  if (kvs) {
    const kept: ThriftList = [];
    for (const kv of kvs as ThriftStruct[]) {
      const key = utf8.decode(kv.get(1) as Uint8Array);
      if (key !== 'ARROW:schema') {
        kept.push(kv);
        continue;
      }
      const hint = projectArrowSchema(utf8.decode(kv.get(2) as Uint8Array), wanted);
      if (hint === undefined) continue; // types then come from the Parquet schema alone
      const copy = copyStruct(kv);
      copy.set(2, encoder.encode(hint));
      kept.push(copy);
    }
    keyValueMetadata = copyList(kvs, kept);
  }
  return {
    fields: wanted,
    leaves,
    schema: copyList(elements, schema),
    columnOrders: orders
      ? copyList(
          orders,
          leaves.map((i) => orders[i]!),
        )
      : undefined,
    keyValueMetadata,
  };
}

/**
 * Assembles a small valid Parquet file holding one row group and only the projected columns:
 * 'PAR1', the fetched chunks back to back, then a footer with the projected schema, that row
 * group alone and the chunks' page offsets moved to their new places (page-index and
 * bloom-filter offsets dropped). parquet-wasm's synchronous reader then decodes all of it.
 */
export function assembleRowGroupFile(
  footer: ParquetFooter,
  projection: Projection,
  rowGroup: number,
  chunks: FetchedChunk[],
): Uint8Array {
  const meta = footer.raw;
  const groups = meta.get(4) as ThriftList;
  const out = copyStruct(meta);
  out.set(2, projection.schema);
  if (projection.columnOrders) out.set(7, projection.columnOrders);
  if (projection.keyValueMetadata) out.set(5, projection.keyValueMetadata);
  let at = MAGIC.length;
  if (rowGroup < 0) {
    out.set(3, 0);
    out.set(4, copyList(groups, []));
  } else {
    const group = copyStruct(groups[rowGroup] as ThriftStruct);
    const original = group.get(1) as ThriftList;
    const byLeaf = new Map(chunks.map((c) => [c.column, c]));
    const columns: ThriftList = [];
    let size = 0;
    for (const leaf of projection.leaves) {
      const fetched = byLeaf.get(leaf);
      if (!fetched) throw new Error(`column chunk ${leaf} was not fetched`);
      const delta = at - footer.rowGroups[rowGroup].columns[leaf]!.offset;
      const chunk = copyStruct(original[leaf] as ThriftStruct);
      const md = copyStruct(chunk.get(3) as ThriftStruct);
      for (const field of [9, 10, 11]) {
        const v = md.get(field);
        if (typeof v === 'number') md.set(field, v + delta);
      }
      md.delete(14); // bloom_filter_offset
      md.delete(15); // bloom_filter_length
      chunk.set(3, md);
      if (typeof chunk.get(2) === 'number') chunk.set(2, (chunk.get(2) as number) + delta);
      for (const field of [4, 5, 6, 7]) chunk.delete(field); // page index offsets and lengths
      columns.push(chunk);
      at += fetched.bytes.byteLength;
      size += fetched.bytes.byteLength;
    }
    group.set(1, copyList(original, columns));
    group.delete(4); // sorting_columns refer to leaf indices of the whole schema
    group.delete(5); // file_offset
    if (group.has(6)) group.set(6, size); // total_compressed_size
    out.set(3, footer.rowGroups[rowGroup]!.numRows);
    out.set(4, copyList(groups, [group]));
  }
  const encoded = encodeStruct(out);
  const file = new Uint8Array(at + encoded.byteLength + 8);
  file.set(MAGIC, 0);
  let pos = MAGIC.length;
  for (const leaf of projection.leaves) {
    const fetched = chunks.find((c) => c.column === leaf);
    if (!fetched) continue;
    file.set(fetched.bytes, pos);
    pos += fetched.bytes.byteLength;
  }
  file.set(encoded, pos);
  new DataView(file.buffer).setUint32(pos + encoded.byteLength, encoded.byteLength, true);
  file.set(MAGIC, pos + encoded.byteLength + 4);
  return file;
}
