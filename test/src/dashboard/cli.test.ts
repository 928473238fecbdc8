import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '@lakestream/testkit';

const lake = () => join(repoRoot(), 'cli', 'bin', 'lake.js');

test('lake dashboard serves the page and its API against the real stack, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [lake(), 'dashboard', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAKE_LOG_LEVEL: 'warn' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d;
  });
  try {
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url) {
      url = /dashboard at (http:\/\/[^\s/]+)\//.exec(output)?.[1];
      if (Date.now() > deadline) assert.fail(`no "dashboard at" line in 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>lakestream dashboard<\/title>/);
    const batches = await fetch(`${url}/api/batches`);
    assert.equal(batches.status, 200, await batches.clone().text());
    assert.ok(Array.isArray(((await batches.json()) as { batches: unknown[] }).batches));
    assert.equal((await fetch(`${url}/health/ready`)).status, 200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
  } finally {
    child.kill('SIGKILL');
  }
});

test('lake dashboard refuses a bad --port', () => {
  const run = spawnSync(process.execPath, [lake(), 'dashboard', '--port', 'seventy'], { encoding: 'utf8' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /--port must be an integer from 0 to 65535, got seventy/);
});
