import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { ForestFormatError } from './errors';
import { type FlatForest, validateFlatForest } from './flat-forest';

/**
 * The model file: 'LKRF', version u16, kind u8, reserved u8, nFeatures u32, nTrees u32,
 * nOutputs u32, nNodes u32 (24 bytes, little-endian), then the typed-array sections in the order
 * of SECTIONS, then a SHA-256 of everything before it.
 */
export const FORMAT_MAGIC = 'LKRF';
export const FORMAT_VERSION = 1;
const HEADER = 24;
const HASH = 32;

/** A fitted forest as stored: the flat arrays plus the class labels of a classifier. */
export interface StoredForest {
  readonly kind: 'regression' | 'classification';
  readonly forest: FlatForest;
  /** Class labels (classification only). */
  readonly classes?: Float64Array;
}

type Section = {
  name: string;
  type: 'i32' | 'f64';
  count: (h: Header) => number;
  get: (s: StoredForest) => ArrayLike<number>;
};
interface Header {
  kind: number;
  nFeatures: number;
  nTrees: number;
  nOutputs: number;
  nNodes: number;
}

const SECTIONS: Section[] = [
  { name: 'roots', type: 'i32', count: (h) => h.nTrees + 1, get: (s) => s.forest.roots },
  { name: 'feature', type: 'i32', count: (h) => h.nNodes, get: (s) => s.forest.feature },
  { name: 'left', type: 'i32', count: (h) => h.nNodes, get: (s) => s.forest.left },
  { name: 'right', type: 'i32', count: (h) => h.nNodes, get: (s) => s.forest.right },
  { name: 'nSamples', type: 'i32', count: (h) => h.nNodes, get: (s) => s.forest.nSamples },
  { name: 'threshold', type: 'f64', count: (h) => h.nNodes, get: (s) => s.forest.threshold },
  { name: 'value', type: 'f64', count: (h) => h.nNodes * h.nOutputs, get: (s) => s.forest.value },
  { name: 'weightedNSamples', type: 'f64', count: (h) => h.nNodes, get: (s) => s.forest.weightedNSamples },
  { name: 'impurity', type: 'f64', count: (h) => h.nNodes, get: (s) => s.forest.impurity },
  {
    name: 'classes',
    type: 'f64',
    count: (h) => (h.kind === 1 ? h.nOutputs : 0),
    get: (s) => s.classes ?? [],
  },
];

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new ForestFormatError('model files need a little-endian machine');
}

export function serializeForest(stored: StoredForest): Uint8Array {
  assertLittleEndian();
  const f = stored.forest;
  const h: Header = {
    kind: stored.kind === 'classification' ? 1 : 0,
    nFeatures: f.nFeatures,
    nTrees: f.nTrees,
    nOutputs: f.nOutputs,
    nNodes: f.roots[f.nTrees],
  };
  const size = HEADER + SECTIONS.reduce((s, sec) => s + sec.count(h) * width(sec), 0) + HASH;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from(FORMAT_MAGIC, 'ascii'), 0);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint8(6, h.kind);
  view.setUint32(8, h.nFeatures, true);
  view.setUint32(12, h.nTrees, true);
  view.setUint32(16, h.nOutputs, true);
  view.setUint32(20, h.nNodes, true);
  let off = HEADER;
  for (const sec of SECTIONS) {
    const n = sec.count(h);
    const src = sec.get(stored);
    if (src.length !== n)
      throw new ForestFormatError(`section ${sec.name} has ${src.length} values, expected ${n}`);
    const typed = sec.type === 'i32' ? Int32Array.from(src) : Float64Array.from(src);
    bytes.set(new Uint8Array(typed.buffer), off);
    off += n * width(sec);
  }
  bytes.set(sha256(bytes.subarray(0, off)), off);
  return bytes;
}

/** Reads a model file, verifying magic, version, length, checksum and tree structure. */
export function deserializeForest(bytes: Uint8Array): StoredForest {
  assertLittleEndian();
  if (bytes.length < HEADER) {
    throw new ForestFormatError(
      `model file truncated at byte ${bytes.length}: the header needs ${HEADER} bytes`,
      bytes.length,
    );
  }
  const magic = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  if (magic !== FORMAT_MAGIC)
    throw new ForestFormatError(`bad magic ${JSON.stringify(magic)}: not a lakestream forest (LKRF) file`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION) {
    throw new ForestFormatError(
      `unsupported model file version ${version} (this library reads version ${FORMAT_VERSION})`,
      4,
    );
  }
  const h: Header = {
    kind: view.getUint8(6),
    nFeatures: view.getUint32(8, true),
    nTrees: view.getUint32(12, true),
    nOutputs: view.getUint32(16, true),
    nNodes: view.getUint32(20, true),
  };
  if (h.kind > 1) throw new ForestFormatError(`unknown model kind ${h.kind}`, 6);
  const expected = HEADER + SECTIONS.reduce((s, sec) => s + sec.count(h) * width(sec), 0) + HASH;
  if (bytes.length < expected) {
    throw new ForestFormatError(
      `model file truncated at byte ${bytes.length}: the header announces ${expected} bytes`,
      bytes.length,
    );
  }
  if (bytes.length > expected) {
    throw new ForestFormatError(
      `model file has ${bytes.length - expected} unexpected bytes after byte ${expected}`,
      expected,
    );
  }
  const body = expected - HASH;
  const digest = sha256(bytes.subarray(0, body));
  if (!Buffer.from(digest).equals(Buffer.from(bytes.subarray(body)))) {
    throw new ForestFormatError('model file checksum mismatch: the file is corrupt', body);
  }
  const arrays: Record<string, Int32Array | Float64Array> = {};
  let off = HEADER;
  for (const sec of SECTIONS) {
    const len = sec.count(h) * width(sec);
    // A Node Buffer's slice() is a view into a shared pool: copy through Uint8Array's slice.
    const copy = Uint8Array.prototype.slice.call(bytes, off, off + len).buffer;
    arrays[sec.name] = sec.type === 'i32' ? new Int32Array(copy) : new Float64Array(copy);
    off += len;
  }
  const forest: FlatForest = {
    nTrees: h.nTrees,
    nFeatures: h.nFeatures,
    nOutputs: h.nOutputs,
    roots: arrays.roots as Int32Array,
    feature: arrays.feature as Int32Array,
    left: arrays.left as Int32Array,
    right: arrays.right as Int32Array,
    nSamples: arrays.nSamples as Int32Array,
    threshold: arrays.threshold as Float64Array,
    value: arrays.value as Float64Array,
    weightedNSamples: arrays.weightedNSamples as Float64Array,
    impurity: arrays.impurity as Float64Array,
  };
  validateFlatForest(forest);
  if (h.kind === 1) return { kind: 'classification', forest, classes: arrays.classes as Float64Array };
  return { kind: 'regression', forest };
}

/** Hex SHA-256 of a whole model file, for the JSON metadata beside it. */
export function modelChecksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function width(sec: Section): number {
  return sec.type === 'i32' ? 4 : 8;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}
