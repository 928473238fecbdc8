import { ParquetFormatError, type ParquetLocation } from './errors';
import type { ColumnChunkInfo } from './footer';
import { decodeStruct, type ThriftStruct } from './thrift-compact';

const DATA_PAGE = 0;
const INDEX_PAGE = 1;
const DICTIONARY_PAGE = 2;
const DATA_PAGE_V2 = 3;

/**
 * Walks the page headers of one column chunk before it goes to WebAssembly: every header must
 * decode, every page must fit in the chunk, the pages must end exactly at its end and hold as
 * many values as the footer says. parquet-wasm aborts (an uncatchable trap) on some corrupt
 * headers; this turns those into a ParquetFormatError naming file, row group and column.
 */
export function checkColumnChunk(bytes: Uint8Array, chunk: ColumnChunkInfo, where: ParquetLocation): void {
  let pos = 0;
  let values = 0;
  while (pos < bytes.byteLength) {
    let header: ThriftStruct;
    let end: number;
    try {
      ({ value: header, end } = decodeStruct(bytes, pos));
    } catch (error) {
      throw new ParquetFormatError(
        where,
        `corrupt page header at chunk byte ${pos}: ${(error as Error).message}`,
      );
    }
    const type = header.get(1);
    const compressed = header.get(3);
    const uncompressed = header.get(2);
    if (typeof type !== 'number' || type < DATA_PAGE || type > DATA_PAGE_V2) {
      throw new ParquetFormatError(where, `page at chunk byte ${pos} has unknown type ${String(type)}`);
    }
    if (
      typeof compressed !== 'number' ||
      compressed < 0 ||
      typeof uncompressed !== 'number' ||
      uncompressed < 0
    ) {
      throw new ParquetFormatError(where, `page at chunk byte ${pos} has no valid sizes`);
    }
    if (end + compressed > bytes.byteLength) {
      throw new ParquetFormatError(
        where,
        `page at chunk byte ${pos} (${compressed} bytes) runs past the chunk's ${bytes.byteLength} bytes`,
      );
    }
    const body = type === DATA_PAGE ? header.get(5) : type === DATA_PAGE_V2 ? header.get(8) : undefined;
    if (type === DATA_PAGE || type === DATA_PAGE_V2) {
      const count = body instanceof Map ? body.get(1) : undefined;
      if (typeof count !== 'number' || count < 0) {
        throw new ParquetFormatError(where, `data page at chunk byte ${pos} has no value count`);
      }
      values += count;
    } else if (type === DICTIONARY_PAGE && !(header.get(7) instanceof Map)) {
      throw new ParquetFormatError(where, `dictionary page at chunk byte ${pos} has no dictionary header`);
    } else if (type === INDEX_PAGE) {
      // Index pages carry nothing the reader needs; their size was checked above.
    }
    pos = end + compressed;
  }
  if (values !== chunk.numValues) {
    throw new ParquetFormatError(where, `pages hold ${values} values, the footer says ${chunk.numValues}`);
  }
}
