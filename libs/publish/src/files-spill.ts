import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromColumns } from '@lakestream/columnar';
import type { Table } from 'apache-arrow';

/** Validity bits of a spilled row. */
export const NAME = 1;
export const AGE = 2;
export const SALARY = 4;
export const SIGNUP = 8;
export const ACTIVE = 16;

const TWO_POW_32 = 4294967296;

/** One partition's rows not yet spilled, as typed arrays. */
class Chunk {
  rows = 0;
  readonly idWords: Uint32Array;
  readonly salary: Float64Array;
  readonly signup: Float64Array;
  readonly age: Int32Array;
  readonly flags: Uint8Array;
  readonly active: Uint8Array;
  readonly names: string[] = [];

  constructor(readonly capacity: number) {
    this.idWords = new Uint32Array(capacity * 2);
    this.salary = new Float64Array(capacity);
    this.signup = new Float64Array(capacity);
    this.age = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.active = new Uint8Array(capacity);
  }
}

/** The rows of one partition read back from its spill file, in the raw table's layout. */
export interface SpilledPartition {
  rows: number;
  id: BigInt64Array;
  table: Table;
}

/**
 * Re-partitioning with bounded memory: rows are appended to a small typed-array chunk per
 * partition; a full chunk is appended to that partition's spill file on local disk (a
 * compact columnar format: ids, salaries, signup micros, ages, name lengths, flags, names).
 * Later each partition is read back alone (memory: one partition) and encoded.
 */
export class PartitionSpill {
  private readonly dir: string;
  private readonly fds: number[];
  private readonly chunks: Chunk[];
  readonly rows: number[];

  constructor(
    tmpDir: string,
    readonly partitions: number,
    chunkRows = 8192,
  ) {
    this.dir = mkdtempSync(join(tmpDir, 'lake-spill-'));
    this.fds = Array.from({ length: partitions }, (_, p) => openSync(join(this.dir, `p${p}.bin`), 'w+'));
    this.chunks = Array.from({ length: partitions }, () => new Chunk(chunkRows));
    this.rows = new Array<number>(partitions).fill(0);
  }

  /** Appends a row; `id` is a non-negative integer below 2^53, or given as (lo, hi) words. */
  add(
    partition: number,
    idLo: number,
    idHi: number,
    name: string,
    age: number,
    salary: number,
    signupMicros: number,
    active: number,
    flags: number,
  ): void {
    const c = this.chunks[partition]!;
    const i = c.rows;
    c.idWords[2 * i] = idLo;
    c.idWords[2 * i + 1] = idHi;
    c.names.push(flags & NAME ? name : '');
    c.age[i] = age;
    c.salary[i] = salary;
    c.signup[i] = signupMicros;
    c.active[i] = active;
    c.flags[i] = flags;
    c.rows = i + 1;
    this.rows[partition]!++;
    if (c.rows === c.capacity) this.flush(partition);
  }

  /** Writes what every partition still holds in memory. */
  flushAll(): void {
    for (let p = 0; p < this.partitions; p++) this.flush(p);
  }

  private flush(partition: number): void {
    const c = this.chunks[partition]!;
    const n = c.rows;
    if (n === 0) return;
    const nameBytes = Buffer.from(c.names.join(''), 'utf8');
    const lengths = new Int32Array(n);
    for (let i = 0; i < n; i++) lengths[i] = Buffer.byteLength(c.names[i]!, 'utf8');
    const fd = this.fds[partition]!;
    writeSync(fd, new Uint32Array([n, nameBytes.byteLength]));
    writeSync(fd, c.idWords.subarray(0, 2 * n));
    writeSync(fd, c.salary.subarray(0, n));
    writeSync(fd, c.signup.subarray(0, n));
    writeSync(fd, c.age.subarray(0, n));
    writeSync(fd, lengths);
    writeSync(fd, c.flags.subarray(0, n));
    writeSync(fd, c.active.subarray(0, n));
    writeSync(fd, nameBytes);
    c.rows = 0;
    c.names.length = 0;
  }

  /** Reads a partition back (after flushAll) as the raw Arrow table. */
  read(partition: number): SpilledPartition {
    const total = this.rows[partition]!;
    const bytes = readFileSync(join(this.dir, `p${partition}.bin`));
    const id = new BigInt64Array(total);
    const idWords = new Uint32Array(id.buffer);
    const salary = new Float64Array(total);
    const signup = new BigInt64Array(total);
    const age = new Int32Array(total);
    const flags = new Uint8Array(total);
    const active = new Uint8Array(total);
    const codes = new Int32Array(total);
    const dictionary: string[] = [];
    const codeOf = new Map<string, number>();
    let at = 0;
    let row = 0;
    const take = <T>(make: (buffer: ArrayBuffer) => T, length: number): T => {
      const copy = bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + length) as ArrayBuffer;
      at += length;
      return make(copy);
    };
    while (at < bytes.byteLength) {
      const [n, nameBytes] = take((b) => new Uint32Array(b), 8) as unknown as [number, number];
      idWords.set(
        take((b) => new Uint32Array(b), n * 8),
        row * 2,
      );
      salary.set(
        take((b) => new Float64Array(b), n * 8),
        row,
      );
      const micros = take((b) => new Float64Array(b), n * 8);
      for (let i = 0; i < n; i++) signup[row + i] = BigInt(micros[i]!);
      age.set(
        take((b) => new Int32Array(b), n * 4),
        row,
      );
      const lengths = take((b) => new Int32Array(b), n * 4);
      flags.set(bytes.subarray(at, at + n), row);
      at += n;
      active.set(bytes.subarray(at, at + n), row);
      at += n;
      let offset = at;
      for (let i = 0; i < n; i++) {
        const name = bytes.toString('utf8', offset, offset + lengths[i]!);
        offset += lengths[i]!;
        let code = codeOf.get(name);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(name);
          codeOf.set(name, code);
        }
        codes[row + i] = code;
      }
      at += nameBytes;
      row += n;
    }
    const valid = (bit: number): Uint8Array => {
      const v = new Uint8Array(total);
      for (let i = 0; i < total; i++) v[i] = flags[i]! & bit ? 1 : 0;
      return v;
    };
    const table = tableFromColumns({
      id: { kind: 'int64', values: id },
      name: { kind: 'dictionary', codes, dictionary, valid: valid(NAME) },
      age: { kind: 'int32', values: age, valid: valid(AGE) },
      salary: { kind: 'float64', values: salary, valid: valid(SALARY) },
      signup_date: { kind: 'timestamp', unit: 'us', values: signup, valid: valid(SIGNUP) },
      is_active: { kind: 'bool', values: active, valid: valid(ACTIVE) },
    });
    return { rows: total, id, table };
  }

  /** Removes the spill files. */
  close(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** (lo, hi) words of a non-negative integer below 2^53. */
export const idHigh = (id: number): number => Math.floor(id / TWO_POW_32);
