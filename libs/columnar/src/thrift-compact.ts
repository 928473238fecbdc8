/**
 * A decoder for the Thrift compact protocol, enough for Parquet's footer and page headers.
 * Structs decode generically into a map from field id to value, so unknown fields are
 * skipped safely; footer.ts gives them names.
 */

export type ThriftValue = number | bigint | boolean | Uint8Array | ThriftList | ThriftStruct;
export type ThriftList = ThriftValue[];
export type ThriftStruct = Map<number, ThriftValue>;

enum CType {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

/** Malformed Thrift bytes; the caller adds which file and structure. */
export class ThriftDecodeError extends Error {}

const MAX_DEPTH = 64;

export class CompactReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private byte(): number {
    if (this.pos >= this.bytes.byteLength) throw new ThriftDecodeError(`unexpected end at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** An unsigned varint as bigint (up to 64 bits). */
  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ThriftDecodeError(`varint too long at byte ${this.pos}`);
    }
  }

  /** An unsigned varint that fits in 32 bits, as a number. */
  private varint32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new ThriftDecodeError(`varint32 too long at byte ${this.pos}`);
    }
  }

  private zigzag32(): number {
    const n = this.varint32();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** i64 as a number when it is a safe integer, else as a bigint. */
  private zigzag64(): number | bigint {
    const n = this.varint();
    const v = (n >> 1n) ^ -(n & 1n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private binary(): Uint8Array {
    const length = this.varint32();
    if (this.pos + length > this.bytes.byteLength) {
      throw new ThriftDecodeError(`binary of ${length} bytes at ${this.pos} runs past the end`);
    }
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  private value(type: number, depth: number): ThriftValue {
    switch (type) {
      case CType.True:
        return true;
      case CType.False:
        return false;
      case CType.Byte: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case CType.I16:
      case CType.I32:
        return this.zigzag32();
      case CType.I64:
        return this.zigzag64();
      case CType.Double: {
        if (this.pos + 8 > this.bytes.byteLength) throw new ThriftDecodeError(`double runs past the end`);
        const d = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return d;
      }
      case CType.Binary:
        return this.binary();
      case CType.List:
      case CType.Set:
        return this.list(depth + 1);
      case CType.Map:
        return this.map(depth + 1);
      case CType.Struct:
        return this.struct(depth + 1);
      default:
        throw new ThriftDecodeError(`unknown compact type ${type} at byte ${this.pos}`);
    }
  }

  private list(depth: number): ThriftList {
    const header = this.byte();
    let size = header >> 4;
    const elemType = header & 0x0f;
    if (size === 15) size = this.varint32();
    if (size > this.bytes.byteLength - this.pos + 1)
      throw new ThriftDecodeError(`list of ${size} is too long`);
    const out: ThriftList = new Array(size);
    for (let i = 0; i < size; i++) {
      // In collections a bool is one byte: 1 true, anything else false.
      out[i] =
        elemType === CType.True || elemType === CType.False ? this.byte() === 1 : this.value(elemType, depth);
    }
    return out;
  }

  private map(depth: number): ThriftList {
    const size = this.varint32();
    if (size === 0) return [];
    const types = this.byte();
    const out: ThriftList = [];
    for (let i = 0; i < size; i++) {
      out.push([this.value(types >> 4, depth), this.value(types & 0x0f, depth)]);
    }
    return out;
  }

  /** Reads one struct (fields until STOP) at the current position. */
  struct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new ThriftDecodeError('structs nested too deep');
    const out: ThriftStruct = new Map();
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === CType.Stop) return out;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag32() : lastId + delta;
      lastId = id;
      out.set(id, this.value(type, depth));
    }
  }
}

/** Decodes one struct from `bytes` starting at `start`; `end` tells where it stopped. */
export function decodeStruct(bytes: Uint8Array, start = 0): { value: ThriftStruct; end: number } {
  const reader = new CompactReader(bytes, start);
  const value = reader.struct();
  return { value, end: reader.pos };
}
