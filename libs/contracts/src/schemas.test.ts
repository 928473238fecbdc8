import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Type } from 'avsc';
import { EXAMPLES } from './examples';
import { RECORD_NAMES } from './generated/types';
import { loadSchemas } from './schemas';
import { schemasDir } from './test-paths';
import { TOPICS } from './topics';

type Json = Record<string, unknown>;
const files = readdirSync(schemasDir()).filter((f) => f.endsWith('.avsc'));
const read = (file: string): Json => JSON.parse(readFileSync(join(schemasDir(), file), 'utf8'));

/** Calls `visit` for every field of every record reachable from `schema`. */
function eachField(schema: unknown, visit: (record: string, field: Json) => void): void {
  if (Array.isArray(schema)) {
    for (const branch of schema) eachField(branch, visit);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Json;
  if (s.type === 'record') {
    for (const f of s.fields as Json[]) {
      visit(s.name as string, f);
      eachField(f.type, visit);
    }
  } else if (s.type === 'array') eachField(s.items, visit);
  else if (s.type === 'map') eachField(s.values, visit);
}

test('there is one .avsc per contract, named after its record, in namespace dev.lakestream', () => {
  assert.deepEqual(files.map((f) => f.replace(/\.avsc$/, '')).sort(), [...RECORD_NAMES].sort());
  for (const file of files) {
    const s = read(file);
    assert.equal(`${s.name}.avsc`, file);
    assert.equal(s.namespace, 'dev.lakestream', file);
    assert.ok(typeof s.doc === 'string' && s.doc.length > 20, `${file} has a record doc`);
  }
  for (const t of Object.values(TOPICS)) assert.ok(RECORD_NAMES.includes(t.record), t.name);
});

test('every .avsc parses in avsc and every example value is valid and round-trips', () => {
  for (const file of files) {
    const type = Type.forSchema(read(file) as never, { wrapUnions: false });
    const name = file.replace(/\.avsc$/, '') as keyof typeof EXAMPLES;
    const example = EXAMPLES[name];
    assert.ok(type.isValid(example), `${name} example is valid`);
    assert.deepEqual(
      JSON.stringify(type.fromBuffer(type.toBuffer(example))),
      JSON.stringify(example),
      `${name} round-trips`,
    );
  }
});

test('every field has a doc; optional fields are ["null", T] with default null; timestamps are logical', () => {
  for (const file of files) {
    eachField(read(file), (record, f) => {
      const where = `${file}: ${record}.${f.name}`;
      assert.ok(typeof f.doc === 'string' && f.doc.trim().length > 0, `${where} has a doc`);
      if (Array.isArray(f.type)) {
        assert.equal(f.type[0], 'null', `${where}: null comes first in the union`);
        assert.equal(f.type.length, 2, `${where}: only ["null", T] unions`);
        assert.ok('default' in f && f.default === null, `${where}: default null`);
      }
      if (/At$/.test(String(f.name)))
        assert.deepEqual(
          f.type,
          { type: 'long', logicalType: 'timestamp-millis' },
          `${where} is timestamp-millis`,
        );
      // Apicurio 3.3.3 refuses a schema holding the string default "{}" (42201, cannot discover the type).
      assert.notEqual(f.default, '{}', `${where}: no "{}" string default`);
    });
  }
});

test('a named type used in several files is defined identically everywhere', () => {
  const seen = new Map<string, { file: string; text: string }>();
  const walk = (schema: unknown, file: string): void => {
    if (Array.isArray(schema)) {
      for (const branch of schema) walk(branch, file);
      return;
    }
    if (typeof schema !== 'object' || schema === null) return;
    const s = schema as Json;
    if (s.type === 'record' || s.type === 'enum') {
      const text = JSON.stringify(s);
      const before = seen.get(s.name as string);
      if (before) assert.equal(text, before.text, `${s.name} in ${file} differs from ${before.file}`);
      else seen.set(s.name as string, { file, text });
    }
    if (s.type === 'record') for (const f of s.fields as Json[]) walk(f.type, file);
    if (s.type === 'array') walk(s.items, file);
    if (s.type === 'map') walk(s.values, file);
  };
  for (const file of files) walk(read(file), file);
  assert.ok(seen.has('FileRef') && seen.has('EmployeeRow'));
});

test('the schemas built into the package equal the files', () => {
  const embedded = loadSchemas();
  const fromFiles = loadSchemas(schemasDir());
  for (const name of RECORD_NAMES) assert.equal(embedded.get(name)!.text, fromFiles.get(name)!.text, name);
});
