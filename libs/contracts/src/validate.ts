import { type Type, types } from 'avsc';

/** The first place where a value departs from its schema. */
export interface Mismatch {
  /** Path from the record, e.g. `ChunkDescriptor.lineage[0].checksum`. */
  field: string;
  value: unknown;
  expected: string;
}

/**
 * Walks `value` along `type` and returns the first mismatch, or undefined when the value can
 * be encoded. Stricter than avsc's own check in one way: a record may not carry fields its
 * schema does not declare (a misspelt field would otherwise be dropped silently).
 */
export function findMismatch(type: Type, value: unknown, path = shortName(type)): Mismatch | undefined {
  if (type instanceof types.RecordType) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value))
      return { field: path, value, expected: `a ${shortName(type)} record` };
    const record = value as Record<string, unknown>;
    const declared = new Set(type.fields.map((f) => f.name));
    for (const key of Object.keys(record)) {
      if (!declared.has(key) && record[key] !== undefined)
        return {
          field: `${path}.${key}`,
          value: record[key],
          expected: `nothing (${shortName(type)} has no such field)`,
        };
    }
    for (const field of type.fields) {
      const v = record[field.name];
      if (v === undefined && field.defaultValue() !== undefined) continue;
      const m = findMismatch(field.type, v, `${path}.${field.name}`);
      if (m) return m;
    }
    return undefined;
  }
  if (type instanceof types.ArrayType) {
    if (!Array.isArray(value)) return { field: path, value, expected: 'an array' };
    for (let i = 0; i < value.length; i++) {
      const m = findMismatch(type.itemsType, value[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (type instanceof types.MapType) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value))
      return { field: path, value, expected: 'a map (plain object)' };
    for (const [k, v] of Object.entries(value)) {
      const m = findMismatch(type.valuesType as Type, v, `${path}[${JSON.stringify(k)}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (type instanceof types.UnwrappedUnionType) {
    if (type.isValid(value)) return undefined;
    const branches = type.types.filter((t) => !(t instanceof types.NullType));
    // ["null", T]: explain the mismatch inside T, so the path reaches the bad leaf.
    if (branches.length === 1 && value !== null && value !== undefined) {
      const m = findMismatch(branches[0], value, path);
      if (m) return { ...m, expected: m.field === path ? `null or ${m.expected}` : m.expected };
    }
    return { field: path, value, expected: type.types.map(describeType).join(' or ') };
  }
  return type.isValid(value) ? undefined : { field: path, value, expected: describeType(type) };
}

/** A type as an error message names it: `long`, `"raw" | "clean"`, `a FileRef record`. */
export function describeType(type: Type): string {
  if (type instanceof types.EnumType)
    return `one of ${type.symbols.map((s) => JSON.stringify(s)).join(' | ')}`;
  if (type instanceof types.RecordType) return `a ${shortName(type)} record`;
  if (type instanceof types.ArrayType) return 'an array';
  if (type instanceof types.MapType) return 'a map (plain object)';
  if (type instanceof types.BytesType) return 'bytes (a Buffer)';
  if (type instanceof types.LongType) return 'long (a safe integer)';
  if (type instanceof types.IntType) return 'int (a 32-bit integer)';
  return type.typeName;
}

function shortName(type: Type): string {
  const name = type.name ?? type.typeName;
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Decoded avsc records are class instances; consumers get plain objects (Buffers kept). */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}
