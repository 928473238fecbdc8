import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { uniqueName } from '../etl/pipeline';

const run = promisify(execFile);
const lake = (...args: string[]) =>
  run(process.execPath, [join(repoRoot(), 'cli', 'bin', 'lake.js'), ...args], { maxBuffer: 64 << 20 });

const dir = tempDir('ingest-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'id,name,age,salary,signup_date,is_active';

test('lake publish <files…>: a CSV with a schema file, --json; a bad row refuses the batch with file and line, --skip-bad-rows publishes the rest', async () => {
  const dataset = uniqueName('ingest-cli');
  const csv = join(dir, 'people.csv');
  writeFileSync(
    csv,
    `${HEADER}\n1,Ann,34,50000,2024-01-02,true\n2,Bob,41,61000.5,2023-05-06 10:00:00,false\n3,Cy,x,1,2022-01-01,1\n`,
  );
  const schema = join(dir, 'schema.json');
  writeFileSync(schema, JSON.stringify([{ name: 'age', type: 'int64' }]));

  const refused = await lake('publish', csv, '--dataset', dataset, '--batch', 'b1', '--schema', schema).then(
    () => assert.fail('a bad row must refuse the batch'),
    (e: { code: number; stderr: string }) => e,
  );
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /1 bad row; nothing was published/);
  assert.match(refused.stderr, /people\.csv, line 4, column age: "x" is not an int32/);

  const { stdout } = await lake(
    'publish',
    csv,
    '--dataset',
    dataset,
    '--batch',
    'b1',
    '--schema',
    schema,
    '--skip-bad-rows',
    '--json',
  );
  const result = JSON.parse(stdout) as {
    rows: number;
    outcome: string;
    badRowCount: number;
    badRows: { line: number }[];
  };
  assert.equal(result.outcome, 'published');
  assert.equal(result.rows, 2);
  assert.equal(result.badRowCount, 1);
  assert.equal(result.badRows[0]?.line, 4);
});
