import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '@lakestream/testkit';
import { stackConfig } from '../stack/config';

const lake = () => join(repoRoot(), 'cli', 'bin', 'lake.js');

async function waitFor(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('lake serve runs the four services on one node, each ready against the real stack, and stops on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [lake(), 'serve', 'ingest', 'etl', 'trainer', 'predictor', '--concurrency', '2'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (d: Buffer) => {
    output += d;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  try {
    const { ports } = stackConfig().http;
    for (const name of ['ingest', 'etl', 'trainer', 'predictor'] as const) {
      const port = ports[name];
      const ready = await waitFor(`http://127.0.0.1:${port}/health/ready`, 30_000);
      const body = (await ready.json()) as { status: string; details: Record<string, { status: string }> };
      assert.equal(ready.status, 200, `${name} ready: ${JSON.stringify(body)}`);
      assert.deepEqual(Object.keys(body.details).sort(), ['hdfs', 'kafka', 'registry']);
      for (const dep of Object.values(body.details)) assert.equal(dep.status, 'up');
      const info = (await (await fetch(`http://127.0.0.1:${port}/${name}/info`)).json()) as {
        service: string;
        config: { workers: { concurrency: number } };
      };
      assert.equal(info.service, name);
      assert.equal(info.config.workers.concurrency, 2);
    }
  } finally {
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    assert.ok(code === 0 || signal === 'SIGTERM', `exit ${code} ${signal}\n${output}`);
  }
  assert.match(output, /shutting down/);
});
