import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@lakestream/config';
import { ApiTokenRequiredError, type RunningService } from '@lakestream/nest-common';
import { startEtlService } from './index';

const TOKEN = 'etl-test-token-42';

function configFor(host: string, apiToken?: string) {
  return loadConfig({
    home: tmpdir(),
    env: {},
    overrides: { http: { host, apiToken }, log: { level: 'silent' } },
  });
}

describe('etl service bound beyond loopback', () => {
  let service: RunningService;
  let base: string;

  before(async () => {
    service = await startEtlService({ config: configFor('0.0.0.0', TOKEN), port: 0, shutdownHooks: false });
    base = `http://127.0.0.1:${service.port}`;
  });
  after(() => service.close());

  it('rejects API calls without the bearer token', async () => {
    for (const path of ['/etl/info', '/metrics']) {
      assert.equal((await fetch(`${base}${path}`)).status, 401, path);
      const wrong = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401, path);
    }
  });

  it('accepts them with it, and reports that a token is required', async () => {
    const res = await fetch(`${base}/etl/info`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(!text.includes(TOKEN), 'the token must not be echoed');
    assert.equal(
      (JSON.parse(text) as { config: { http: { tokenRequired: boolean } } }).config.http.tokenRequired,
      true,
    );
  });

  it('keeps /health/* open for probes', async () => {
    assert.equal((await fetch(`${base}/health/live`)).status, 200);
  });
});

describe('etl service start-up policy', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    await assert.rejects(
      startEtlService({ config: configFor('0.0.0.0'), port: 0, shutdownHooks: false }),
      ApiTokenRequiredError,
    );
  });
});
