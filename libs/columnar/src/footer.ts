import { ParquetFormatError } from './errors';
import type { RandomAccessSource } from './source';
import { decodeStruct, type ThriftList, type ThriftStruct, type ThriftValue } from './thrift-compact';

/** Parquet's physical types, by their Thrift enum value. */
export const PHYSICAL_TYPES = [
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
] as const;
export type PhysicalType = (typeof PHYSICAL_TYPES)[number];

export const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'] as const;
export type CodecName = (typeof CODECS)[number];

/** A statistic decoded by physical type: INT64 as bigint, strings as string, else raw bytes. */
export type StatValue = number | bigint | boolean | string | Uint8Array;

export interface ColumnStatistics {
  nullCount?: number;
  distinctCount?: number;
  min?: StatValue;
  max?: StatValue;
}

export interface SchemaLeaf {
  /** Dotted path of the leaf, e.g. `salary` or `address.city`. */
  name: string;
  /** The top-level field this leaf belongs to (what projection selects). */
  field: string;
  type: PhysicalType;
  /** e.g. `STRING`, `DATE`, `TIMESTAMP(MICROS,utc)`, `INTEGER(32,signed)`; undefined when none. */
  logicalType?: string;
  convertedType?: number;
  optional: boolean;
}

export interface ColumnChunkInfo {
  /** Dotted path, as in SchemaLeaf.name. */
  name: string;
  field: string;
  type: PhysicalType;
  codec: CodecName;
  numValues: number;
  /** First byte of the chunk (its dictionary page if it has one) and its compressed length. */
  offset: number;
  length: number;
  uncompressedSize: number;
  hasDictionaryPage: boolean;
  statistics?: ColumnStatistics;
}

export interface RowGroupInfo {
  index: number;
  numRows: number;
  totalByteSize: number;
  columns: ColumnChunkInfo[];
}

export interface ParquetFooter {
  file: string;
  fileSize: number;
  version: number;
  numRows: number;
  createdBy?: string;
  /** Top-level field names, in file order. */
  fields: string[];
  leaves: SchemaLeaf[];
  rowGroups: RowGroupInfo[];
  keyValueMetadata: Map<string, string>;
  /** The bytes at the end of the file fetched while reading the footer (they include it). */
  tail: { offset: number; bytes: Uint8Array };
  /** The decoded FileMetaData (Thrift field ids), kept for assembling row-group files. */
  raw: ThriftStruct;
}

export interface ReadFooterOptions {
  /** Bytes fetched from the end in the first request, so small footers take one read. Default 64 KiB. */
  prefetchBytes?: number;
}

const MAGIC = 0x31524150; // 'PAR1' little-endian
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Reads and decodes the footer of a Parquet file: at most two reads from the end. */
export async function readFooter(
  source: RandomAccessSource,
  options: ReadFooterOptions = {},
): Promise<ParquetFooter> {
  const file = source.name;
  const fileSize = await source.size();
  if (fileSize < 12) throw new ParquetFormatError({ file }, `${fileSize} bytes is too short to be Parquet`);
  const prefetch = Math.min(fileSize, Math.max(8, options.prefetchBytes ?? 64 * 1024));
  let tail = { offset: fileSize - prefetch, bytes: await source.read(fileSize - prefetch, prefetch) };
  const end = new DataView(tail.bytes.buffer, tail.bytes.byteOffset + tail.bytes.byteLength - 8, 8);
  if (end.getUint32(4, true) !== MAGIC) {
    const head = await source.read(0, 4);
    const startsRight = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === MAGIC;
    throw new ParquetFormatError(
      { file },
      startsRight ? 'no PAR1 magic at the end: the file is truncated' : 'no PAR1 magic: not a Parquet file',
    );
  }
  const metadataLength = end.getUint32(0, true);
  const metadataOffset = fileSize - 8 - metadataLength;
  if (metadataOffset < 4) {
    throw new ParquetFormatError(
      { file },
      `footer length ${metadataLength} does not fit in ${fileSize} bytes`,
    );
  }
  if (metadataOffset < tail.offset) {
    const missing = await source.read(metadataOffset, tail.offset - metadataOffset);
    tail = { offset: metadataOffset, bytes: Buffer.concat([missing, tail.bytes]) };
  }
  let meta: ThriftStruct;
  try {
    meta = decodeStruct(tail.bytes, metadataOffset - tail.offset).value;
  } catch (error) {
    throw new ParquetFormatError({ file }, `corrupt footer: ${(error as Error).message}`, { cause: error });
  }
  return toFooter(file, fileSize, metadataOffset, meta, tail);
}

function num(value: ThriftValue | undefined, fallback = 0): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return fallback;
}

function str(value: ThriftValue | undefined): string | undefined {
  return value instanceof Uint8Array ? utf8.decode(value) : undefined;
}

function list(value: ThriftValue | undefined): ThriftList {
  return Array.isArray(value) ? value : [];
}

function struct(value: ThriftValue | undefined): ThriftStruct | undefined {
  return value instanceof Map ? value : undefined;
}

const TIME_UNITS = ['', 'MILLIS', 'MICROS', 'NANOS'];
const LOGICAL_NAMES: Record<number, string> = {
  1: 'STRING',
  2: 'MAP',
  3: 'LIST',
  4: 'ENUM',
  5: 'DECIMAL',
  6: 'DATE',
  7: 'TIME',
  8: 'TIMESTAMP',
  10: 'INTEGER',
  11: 'NULL',
  12: 'JSON',
  13: 'BSON',
  14: 'UUID',
  15: 'FLOAT16',
};

function logicalTypeName(value: ThriftValue | undefined): string | undefined {
  const union = struct(value);
  if (!union) return undefined;
  const [id, body] = union.entries().next().value as [number, ThriftValue];
  const name = LOGICAL_NAMES[id] ?? `LOGICAL_${id}`;
  const fields = struct(body);
  if ((name === 'TIMESTAMP' || name === 'TIME') && fields) {
    const unit = struct(fields.get(2));
    const unitId = unit ? (unit.keys().next().value as number) : 0;
    return `${name}(${TIME_UNITS[unitId] ?? unitId},${fields.get(1) === true ? 'utc' : 'local'})`;
  }
  if (name === 'INTEGER' && fields)
    return `INTEGER(${num(fields.get(1))},${fields.get(2) === true ? 'signed' : 'unsigned'})`;
  return name;
}

function flattenSchema(file: string, elements: ThriftList): { fields: string[]; leaves: SchemaLeaf[] } {
  const fields: string[] = [];
  const leaves: SchemaLeaf[] = [];
  let next = 1;
  const walk = (path: string[], count: number): void => {
    for (let i = 0; i < count; i++) {
      const element = struct(elements[next++]);
      if (!element) throw new ParquetFormatError({ file }, 'corrupt footer: schema ends early');
      const name = str(element.get(4)) ?? '';
      const childPath = [...path, name];
      if (path.length === 0) fields.push(name);
      const children = num(element.get(5), 0);
      if (children > 0) {
        walk(childPath, children);
        continue;
      }
      const typeId = num(element.get(1), -1);
      const type = PHYSICAL_TYPES[typeId];
      if (!type) throw new ParquetFormatError({ file, column: name }, `unknown physical type ${typeId}`);
      const converted = element.get(6);
      leaves.push({
        name: childPath.join('.'),
        field: childPath[0]!,
        type,
        logicalType: logicalTypeName(element.get(10)),
        convertedType: typeof converted === 'number' ? converted : undefined,
        optional: num(element.get(3)) === 1,
      });
    }
  };
  const root = struct(elements[0]);
  if (!root) throw new ParquetFormatError({ file }, 'corrupt footer: empty schema');
  walk([], num(root.get(5)));
  return { fields, leaves };
}

function decodeStat(bytes: ThriftValue | undefined, leaf: SchemaLeaf): StatValue | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (leaf.type) {
    case 'BOOLEAN':
      return bytes.byteLength >= 1 ? bytes[0] !== 0 : undefined;
    case 'INT32':
      return bytes.byteLength >= 4 ? view.getInt32(0, true) : undefined;
    case 'INT64':
      return bytes.byteLength >= 8 ? view.getBigInt64(0, true) : undefined;
    case 'FLOAT':
      return bytes.byteLength >= 4 ? view.getFloat32(0, true) : undefined;
    case 'DOUBLE':
      return bytes.byteLength >= 8 ? view.getFloat64(0, true) : undefined;
    case 'BYTE_ARRAY':
      return leaf.logicalType === 'STRING' || leaf.convertedType === 0 ? utf8.decode(bytes) : bytes.slice();
    default:
      return bytes.slice();
  }
}

function toStatistics(value: ThriftValue | undefined, leaf: SchemaLeaf): ColumnStatistics | undefined {
  const stats = struct(value);
  if (!stats) return undefined;
  return {
    nullCount: stats.has(3) ? num(stats.get(3)) : undefined,
    distinctCount: stats.has(4) ? num(stats.get(4)) : undefined,
    // min_value/max_value (5, 6) have defined ordering; 2/1 are the deprecated fields.
    min: decodeStat(stats.get(6) ?? stats.get(2), leaf),
    max: decodeStat(stats.get(5) ?? stats.get(1), leaf),
  };
}

function toFooter(
  file: string,
  fileSize: number,
  metadataOffset: number,
  meta: ThriftStruct,
  tail: ParquetFooter['tail'],
): ParquetFooter {
  const { fields, leaves } = flattenSchema(file, list(meta.get(2)));
  const rowGroups = list(meta.get(4)).map((value, index): RowGroupInfo => {
    const group = struct(value);
    if (!group)
      throw new ParquetFormatError({ file, rowGroup: index }, 'corrupt footer: row group is not a struct');
    const chunks = list(group.get(1));
    const groupRows = num(group.get(3));
    if (chunks.length !== leaves.length) {
      throw new ParquetFormatError(
        { file, rowGroup: index },
        `has ${chunks.length} column chunks, the schema ${leaves.length} columns`,
      );
    }
    const columns = chunks.map((chunkValue, c): ColumnChunkInfo => {
      const leaf = leaves[c]!;
      const where = { file, rowGroup: index, column: leaf.name };
      const chunk = struct(chunkValue);
      const md = struct(chunk?.get(3));
      if (!chunk || !md) throw new ParquetFormatError(where, 'corrupt footer: column chunk has no metadata');
      if (chunk.has(1)) throw new ParquetFormatError(where, 'column chunks in other files are not supported');
      const dataPage = num(md.get(9), -1);
      const dictPage = md.has(11) ? num(md.get(11), -1) : -1;
      const offset = dictPage > 0 && dictPage < dataPage ? dictPage : dataPage;
      const length = num(md.get(7), -1);
      // pyarrow writes an empty table as one row group whose chunks have a dictionary page and
      // data_page_offset 0; nothing of such a group is ever read, so its offsets are not checked.
      if (groupRows > 0 && (offset < 4 || length < 0 || offset + length > metadataOffset)) {
        throw new ParquetFormatError(
          where,
          `column chunk bytes [${offset}, ${offset + length}) lie outside the data region [4, ${metadataOffset}): truncated or corrupt`,
        );
      }
      return {
        name: leaf.name,
        field: leaf.field,
        type: leaf.type,
        codec: CODECS[num(md.get(4))] ?? 'UNCOMPRESSED',
        numValues: num(md.get(5)),
        offset,
        length,
        uncompressedSize: num(md.get(6)),
        hasDictionaryPage: offset === dictPage,
        statistics: toStatistics(md.get(12), leaf),
      };
    });
    return { index, numRows: groupRows, totalByteSize: num(group.get(2)), columns };
  });
  const keyValueMetadata = new Map<string, string>();
  for (const kv of list(meta.get(5))) {
    const entry = struct(kv);
    const key = str(entry?.get(1));
    if (key !== undefined) keyValueMetadata.set(key, str(entry?.get(2)) ?? '');
  }
  return {
    file,
    fileSize,
    version: num(meta.get(1)),
    numRows: num(meta.get(3)),
    createdBy: str(meta.get(6)),
    fields,
    leaves,
    rowGroups,
    keyValueMetadata,
    tail,
    raw: meta,
  };
}
