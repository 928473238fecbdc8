import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { type LakeConfig, loadConfig } from '@lakestream/config';

/** What every service's start function returns that the suite needs. */
interface Started {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Start = (options: { config: LakeConfig; port: number; shutdownHooks: boolean }) => Promise<Started>;

/** A TCP port nothing listens on (bound then released), so connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Health {
  status: string;
  details: Record<string, { status: string; error?: string; latencyMs?: number }>;
}

/**
 * What every lakestream service must do with its dependencies out of reach: stay live, say
 * it is not ready and why (Kafka, HDFS, the registry), describe itself without secrets and
 * serve its metrics. One suite, run by each service's own spec.
 */
export function describeServiceWithoutDependencies(name: string, start: Start): void {
  describe(`${name} service against unreachable dependencies`, () => {
    let service: Started;

    before(async () => {
      const dead = await closedPort();
      const config = loadConfig({
        home: tmpdir(),
        env: {},
        overrides: {
          kafka: { brokers: [`127.0.0.1:${dead}`] },
          hdfs: { namenodeUrl: `http://127.0.0.1:${dead}` },
          registry: { url: `http://127.0.0.1:${dead}/apis/ccompat/v7` },
          log: { level: 'silent' },
        },
      });
      service = await start({ config, port: 0, shutdownHooks: false });
    });
    after(() => service.close());

    it('is live', async () => {
      const res = await fetch(`${service.url}/health/live`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Health).status, 'ok');
    });

    it('is not ready, and says why for Kafka, HDFS and the registry', async () => {
      const res = await fetch(`${service.url}/health/ready`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as Health;
      assert.equal(body.status, 'error');
      for (const dependency of ['kafka', 'hdfs', 'registry']) {
        const detail = body.details[dependency];
        assert.equal(detail?.status, 'down', `${dependency}: ${JSON.stringify(detail)}`);
        assert.match(String(detail.error), /ECONNREFUSED/, `${dependency}: ${detail.error}`);
        assert.equal(typeof detail.latencyMs, 'number');
      }
    });

    it('describes itself without secrets', async () => {
      const res = await fetch(`${service.url}/${name}/info`);
      assert.equal(res.status, 200);
      const info = (await res.json()) as {
        service: string;
        version: string;
        config: { http: { port: number } };
      };
      assert.equal(info.service, name);
      assert.match(info.version, /^\d+\.\d+\.\d+/);
      assert.equal(info.config.http.port, service.port);
      assert.doesNotMatch(JSON.stringify(info), /apiToken/i);
    });

    it('serves Prometheus metrics', async () => {
      const res = await fetch(`${service.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      assert.match(text, /^# TYPE lake_rows_processed_total counter$/m);
      assert.match(text, new RegExp(`^process_cpu_user_seconds_total\\{service="${name}"\\} `, 'm'));
    });
  });
}
