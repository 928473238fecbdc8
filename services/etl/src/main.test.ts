import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const MAIN = join(__dirname, 'main.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs main.js with only the given LAKE_* environment; collects its JSON log lines. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of waiters.filter((w) => w.msg === line.msg)) w.resolve(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = lines.find((l) => l.msg === msg);
      if (seen) resolve(seen);
      else waiters.push({ msg, resolve });
    });
  return { child, lines, exited, waitFor };
}

describe('node services/etl/dist/main.js', () => {
  it('listens on the configured port, logs JSON, and closes gracefully on SIGTERM', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'lake-etl-main-'));
    const file = join(dir, 'lake.config.json');
    writeFileSync(
      file,
      JSON.stringify({ http: { ports: { etl: port } }, kafka: { brokers: ['127.0.0.1:9'] } }),
    );
    const proc = run({ LAKE_CONFIG: file, LAKE_HOME: dir });
    try {
      const listening = await proc.waitFor('listening');
      assert.equal(listening.url, `http://127.0.0.1:${port}`);
      assert.equal(listening.service, 'etl');
      assert.equal((await fetch(`http://127.0.0.1:${port}/health/live`)).status, 200);
      proc.child.kill('SIGTERM');
      const { code, signal } = await proc.exited;
      assert.ok(code === 0 || signal === 'SIGTERM', `exit code ${code}, signal ${signal}`);
      assert.ok(
        proc.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'),
        JSON.stringify(proc.lines.slice(-3)),
      );
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('exits 1 with a clear fatal line when bound beyond loopback without a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lake-etl-main-'));
    const proc = run({ LAKE_HOME: dir, LAKE_HTTP_HOST: '0.0.0.0' });
    const { code } = await proc.exited;
    assert.equal(code, 1);
    const fatal = proc.lines.find((l) => l.level === 'fatal');
    assert.equal(fatal?.msg, 'failed to start');
    assert.match(JSON.stringify(fatal), /binds beyond loopback but no API token/);
  });
});
