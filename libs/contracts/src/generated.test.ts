import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemasDir } from './test-paths';

const script = join(__dirname, '..', 'scripts', 'gen-types.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('the committed generated types and schemas are what the generator makes from schemas/*.avsc', () => {
  const r = run('--check');
  assert.equal(r.status, 0, r.stderr);
});

test('the freshness check fails when a schema changes and the generated files do not', () => {
  const dir = join(tmpdir(), `contracts-schemas-${process.pid}-${Date.now()}`);
  cpSync(schemasDir(), dir, { recursive: true });
  const file = join(dir, 'TrialSpec.avsc');
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  schema.fields.push({ name: 'priority', type: 'int', default: 0, doc: 'Scheduling priority.' });
  writeFileSync(file, JSON.stringify(schema));
  const r = run('--check', '--schemas', dir);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /types\.ts is stale/);
  assert.match(r.stderr, /schemas\.ts is stale/);
});

test('the generator refuses a field without a doc', () => {
  const dir = join(tmpdir(), `contracts-schemas-nodoc-${process.pid}-${Date.now()}`);
  cpSync(schemasDir(), dir, { recursive: true });
  const file = join(dir, 'TrialSpec.avsc');
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  schema.fields.push({ name: 'priority', type: 'int', default: 0 });
  writeFileSync(file, JSON.stringify(schema));
  const r = run('--check', '--schemas', dir);
  rmSync(dir, { recursive: true, force: true });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /TrialSpec\.priority has no doc/);
});
