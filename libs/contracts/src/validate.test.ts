import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchemaMismatchError } from './errors';
import { EXAMPLES } from './examples';
import { RECORD_NAMES } from './generated/types';
import { loadSchemas, validateRecord } from './schemas';
import { findMismatch } from './validate';

const contracts = loadSchemas();
const typeOf = (record: (typeof RECORD_NAMES)[number]) => contracts.get(record)!.type;

function mismatchMessage(record: (typeof RECORD_NAMES)[number], value: unknown): string {
  const m = findMismatch(typeOf(record), value);
  assert.ok(m, 'a mismatch is found');
  return new SchemaMismatchError('lake.test', m.field, m.value, m.expected).message;
}

test('SchemaMismatchError names the path of the bad field, what was expected and what came', () => {
  const chunk = EXAMPLES.ChunkDescriptor;
  assert.equal(
    mismatchMessage('ChunkDescriptor', { ...chunk, rows: '12' }),
    'lake.test: ChunkDescriptor.rows: expected long (a safe integer), got "12"',
  );
  assert.equal(
    mismatchMessage('ChunkDescriptor', {
      ...chunk,
      lineage: [chunk.lineage[0], { path: '/x', checksum: 3 }],
    }),
    'lake.test: ChunkDescriptor.lineage[1].checksum: expected string, got 3',
  );
  assert.equal(
    mismatchMessage('ChunkDescriptor', { ...chunk, stage: 'dirty' }),
    'lake.test: ChunkDescriptor.stage: expected one of "raw" | "clean", got "dirty"',
  );
  assert.equal(
    mismatchMessage('ChunkDescriptor', { ...chunk, producer: 5 }),
    'lake.test: ChunkDescriptor.producer: expected null or string, got 5',
  );
  assert.equal(
    mismatchMessage('ChunkDescriptor', { ...chunk, bytes: 2 ** 53 + 2 }),
    `lake.test: ChunkDescriptor.bytes: expected long (a safe integer), got ${2 ** 53 + 2} (beyond 2^53)`,
  );
  assert.equal(
    mismatchMessage('ChunkDescriptor', { ...chunk, partition: 2 ** 31 }),
    `lake.test: ChunkDescriptor.partition: expected int (a 32-bit integer), got ${2 ** 31}`,
  );
  const { checksum: _, ...noChecksum } = chunk;
  assert.equal(
    mismatchMessage('ChunkDescriptor', noChecksum),
    'lake.test: ChunkDescriptor.checksum: expected string, got undefined',
  );
  assert.equal(
    mismatchMessage('ChunkDescriptor', { ...chunk, rowz: 1 }),
    'lake.test: ChunkDescriptor.rowz: expected nothing (ChunkDescriptor has no such field), got 1',
  );
  assert.equal(
    mismatchMessage('EtlPartial', { ...EXAMPLES.EtlPartial, dropped: { duplicate_id: 1.5 } }),
    'lake.test: EtlPartial.dropped["duplicate_id"]: expected long (a safe integer), got 1.5',
  );
  assert.equal(
    mismatchMessage('EtlPartial', {
      ...EXAMPLES.EtlPartial,
      topEarners: [{ ...EXAMPLES.EtlPartial.topEarners[0], is_active: 'yes' }],
    }),
    'lake.test: EtlPartial.topEarners[0].is_active: expected boolean, got "yes"',
  );
  assert.equal(
    mismatchMessage('ModelPublished', {
      ...EXAMPLES.ModelPublished,
      lineage: { ...EXAMPLES.ModelPublished.lineage, job: 7 },
    }),
    'lake.test: ModelPublished.lineage.job: expected null or string, got 7',
  );
  assert.equal(
    mismatchMessage('DeadLetter', { ...EXAMPLES.DeadLetter, value: 'bytes' }),
    'lake.test: DeadLetter.value: expected bytes (a Buffer), got "bytes"',
  );
  assert.equal(
    mismatchMessage('TrialSpec', null),
    'lake.test: TrialSpec: expected a TrialSpec record, got null',
  );
});

test('fields with a default may be left out; undefined extra properties are ignored', () => {
  const { rowGroups: _r, attempt: _a, producer: _p, lineage: _l, ...required } = EXAMPLES.ChunkDescriptor;
  assert.equal(findMismatch(typeOf('ChunkDescriptor'), required), undefined);
  assert.equal(findMismatch(typeOf('ChunkDescriptor'), { ...required, extra: undefined }), undefined);
});

// Property test against avsc's own validity check: random valid values, then one random spot
// broken; both must agree on validity, and the reported path must be the broken spot.
type Spot = { path: string; set: (v: unknown) => void };
function spots(value: unknown, path: string, out: Spot[]): Spot[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({
        path: `${path}[${i}]`,
        set: (v) => {
          value[i] = v;
        },
      });
      spots(item, `${path}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const isRecord = Object.getPrototypeOf(value) !== Object.prototype;
    for (const [k, item] of Object.entries(value)) {
      const p = isRecord ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
      out.push({
        path: p,
        set: (v) => {
          (value as Record<string, unknown>)[k] = v;
        },
      });
      spots(item, p, out);
    }
  }
  return out;
}
const WRONG: unknown[] = ['text', 1.5, -7, 2 ** 53, true, null, {}, [], Buffer.from('x'), 2 ** 31];

test('findMismatch agrees with avsc on random values and points at the broken field', () => {
  let broken = 0;
  for (const record of RECORD_NAMES) {
    const type = typeOf(record);
    for (let i = 0; i < 60; i++) {
      const value = type.random();
      assert.equal(findMismatch(type, value), undefined, `${record}: random value is valid`);
      const candidates = spots(value, record, []);
      if (candidates.length === 0) continue;
      const spot = candidates[(i * 7919) % candidates.length];
      const wrong = WRONG[i % WRONG.length];
      spot.set(wrong);
      const m = findMismatch(type, value);
      // Stricter than avsc in one place only: avsc takes a Buffer for a map (of its byte values).
      const stricter = m?.expected === 'a map (plain object)' && Buffer.isBuffer(wrong);
      if (!stricter)
        assert.equal(m === undefined, type.isValid(value), `${record}: ${spot.path} = ${String(wrong)}`);
      if (m) {
        broken++;
        // An empty object in place of a record is reported at its first missing field.
        const inside = typeof wrong === 'object' && m.field.startsWith(`${spot.path}.`);
        assert.ok(m.field === spot.path || inside, `${m.field} reported for ${spot.path}`);
      }
    }
  }
  assert.ok(broken > 300, `enough broken values were checked (${broken})`);
});

test('validateRecord checks a value without a registry', () => {
  validateRecord('EtlPartial', EXAMPLES.EtlPartial);
  assert.throws(
    () => validateRecord('EtlPartial', { ...EXAMPLES.EtlPartial, rowsOut: -0.5 }, 'partial-00003.json'),
    (e: unknown) =>
      e instanceof SchemaMismatchError &&
      e.message === 'partial-00003.json: EtlPartial.rowsOut: expected long (a safe integer), got -0.5',
  );
});
