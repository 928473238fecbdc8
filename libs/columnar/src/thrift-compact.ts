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

/** The compact type of each field of every decoded struct, and of each list's elements, for re-encoding. */
export const fieldTypes = new WeakMap<ThriftStruct, Map<number, number>>();
export const elementTypes = new WeakMap<ThriftList, number>();

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
    elementTypes.set(out, elemType);
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
    const types = new Map<number, number>();
    fieldTypes.set(out, types);
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === CType.Stop) return out;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag32() : lastId + delta;
      lastId = id;
      types.set(id, type);
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

/** Encodes structs decoded above (or copies made with copyStruct) back to compact bytes. */
class CompactWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b & 0xff;
  }

  private varint(n: bigint): void {
    do {
      const low = Number(n & 0x7fn);
      n >>= 7n;
      this.byte(n > 0n ? low | 0x80 : low);
    } while (n > 0n);
  }

  private zigzag(v: number | bigint): void {
    const n = BigInt(v);
    this.varint(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  }

  private value(type: number, v: ThriftValue): void {
    switch (type) {
      case CType.True:
      case CType.False:
        return;
      case CType.Byte:
        this.byte(v as number);
        return;
      case CType.I16:
      case CType.I32:
      case CType.I64:
        this.zigzag(v as number | bigint);
        return;
      case CType.Double: {
        this.ensure(8);
        new DataView(this.buf.buffer).setFloat64(this.length, v as number, true);
        this.length += 8;
        return;
      }
      case CType.Binary: {
        const bytes = v as Uint8Array;
        this.varint(BigInt(bytes.byteLength));
        this.ensure(bytes.byteLength);
        this.buf.set(bytes, this.length);
        this.length += bytes.byteLength;
        return;
      }
      case CType.List:
      case CType.Set:
        this.list(v as ThriftList);
        return;
      case CType.Struct:
        this.struct(v as ThriftStruct);
        return;
      default:
        throw new ThriftDecodeError(`cannot encode compact type ${type}`);
    }
  }

  private list(list: ThriftList): void {
    const elem = elementTypes.get(list);
    if (elem === undefined) throw new ThriftDecodeError('list without a recorded element type');
    if (list.length < 15) this.byte((list.length << 4) | elem);
    else {
      this.byte(0xf0 | elem);
      this.varint(BigInt(list.length));
    }
    const isBool = elem === CType.True || elem === CType.False;
    for (const v of list) {
      if (isBool) this.byte(v === true ? 1 : 2);
      else this.value(elem, v);
    }
  }

  struct(s: ThriftStruct): void {
    const types = fieldTypes.get(s);
    if (!types) throw new ThriftDecodeError('struct without recorded field types');
    let last = 0;
    for (const id of [...s.keys()].sort((a, b) => a - b)) {
      const v = s.get(id)!;
      let type = types.get(id)!;
      if (type === CType.True || type === CType.False) type = v === true ? CType.True : CType.False;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(id);
      }
      last = id;
      this.value(type, v);
    }
    this.byte(CType.Stop);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function encodeStruct(s: ThriftStruct): Uint8Array {
  const writer = new CompactWriter();
  writer.struct(s);
  return writer.bytes();
}

/** A shallow copy of a decoded struct that keeps its field types (for rewriting some fields). */
export function copyStruct(s: ThriftStruct): ThriftStruct {
  const out: ThriftStruct = new Map(s);
  fieldTypes.set(out, new Map(fieldTypes.get(s)));
  return out;
}

/** A shallow copy of a decoded list, keeping its element type. */
export function copyList(list: ThriftList, items: ThriftList = list): ThriftList {
  const out = [...items];
  elementTypes.set(out, elementTypes.get(list)!);
  return out;
}
