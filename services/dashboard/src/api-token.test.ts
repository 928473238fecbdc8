import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@lakestream/config';
import type { RunningService } from '@lakestream/nest-common';
import { startDashboardService } from './index';

const TOKEN = 'dashboard-test-token-7';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('dashboard bound beyond loopback, dependencies out of reach', () => {
  let service: RunningService;
  let base: string;

  before(async () => {
    const dead = await closedPort();
    const config = loadConfig({
      home: tmpdir(),
      env: {},
      overrides: {
        http: { host: '0.0.0.0', apiToken: TOKEN },
        kafka: { brokers: [`127.0.0.1:${dead}`] },
        hdfs: { namenodeUrl: `http://127.0.0.1:${dead}` },
        registry: { url: `http://127.0.0.1:${dead}/apis/ccompat/v7` },
        log: { level: 'silent' },
      },
    });
    service = await startDashboardService({ config, port: 0, shutdownHooks: false });
    base = `http://127.0.0.1:${service.port}`;
  });
  after(() => service.close());

  it('serves the page (found from dist/) without a token: it holds no data', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /<title>lakestream dashboard<\/title>/);
    }
  });

  it('refuses the API without the bearer token', async () => {
    for (const path of ['/api/batches', '/api/lag', '/api/dlq', '/dashboard/info', '/metrics']) {
      assert.equal((await fetch(`${base}${path}`)).status, 401, path);
      const wrong = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401, path);
    }
  });

  it('with the token, says which dependency is out of reach (503), not "Internal server error"', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/api/batches', '/api/lag', '/api/dlq']) {
      const res = await fetch(`${base}${path}`, { headers });
      assert.equal(res.status, 503, path);
      const body = (await res.json()) as { message: string };
      assert.match(body.message, /ECONNREFUSED|connect|Connection/i, `${path}: ${body.message}`);
    }
    const bad = await fetch(`${base}/api/dlq?limit=9999`, { headers });
    assert.equal(bad.status, 400);
  });
});
