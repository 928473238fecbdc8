import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type LakeConfig, loadConfig } from '@lakestream/config';
import { HdfsHealthIndicator } from './hdfs.health';
import type { HealthOptions } from './health-options';
import { KafkaHealthIndicator } from './kafka.health';
import { RegistryHealthIndicator } from './registry.health';

const FAST: HealthOptions = { httpTimeoutMs: 300, kafkaConnectionTimeoutMs: 300, kafkaTimeoutMs: 500 };

/** A stand-in NameNode / registry answering from a route table (the indicators' parsing is under test). */
async function fakeHttp(routes: Record<string, [number, unknown]>): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const route = routes[req.url ?? ''];
    if (route?.[1] === 'hang') return; // never answer
    res.writeHead(route?.[0] ?? 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(route?.[1] ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

function config(overrides: { namenodeUrl?: string; registry?: string; brokers?: string[] }): LakeConfig {
  return loadConfig({
    home: '/nonexistent',
    env: {},
    overrides: {
      hdfs: { namenodeUrl: overrides.namenodeUrl, user: 'lake' },
      registry: { url: overrides.registry },
      kafka: { brokers: overrides.brokers },
    },
  });
}

const STATUS = '/webhdfs/v1/?op=GETFILESTATUS&user.name=lake';
const INFO = '/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo';
const STATE = '/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState';

function nameNode(
  safemode: string,
  liveDataNodes: number,
  statusCode = 200,
): Record<string, [number, unknown]> {
  return {
    [STATUS]: [
      statusCode,
      statusCode === 200 ? { FileStatus: { type: 'DIRECTORY' } } : { RemoteException: {} },
    ],
    [INFO]: [200, { beans: [{ Safemode: safemode }] }],
    [STATE]: [200, { beans: [{ NumLiveDataNodes: liveDataNodes }] }],
  };
}

describe('HdfsHealthIndicator', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });
  async function check(routes: Record<string, [number, unknown]>) {
    const { url, server } = await fakeHttp(routes);
    servers.push(server);
    const indicator = new HdfsHealthIndicator(
      config({ namenodeUrl: `${url}/` }),
      FAST,
      new HealthIndicatorService(),
    );
    return (await indicator.isHealthy('hdfs')).hdfs as Record<string, unknown>;
  }

  it('is up when WebHDFS answers, safemode is off and a DataNode is live', async () => {
    const r = await check(nameNode('', 2));
    assert.equal(r.status, 'up');
    assert.equal(r.liveDataNodes, 2);
    assert.equal(r.safemode, false);
  });

  it('is down in safemode, quoting the NameNode', async () => {
    const r = await check(nameNode('Safe mode is ON. The reported blocks 0 needs additional 3 blocks.', 1));
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /^NameNode in safemode: Safe mode is ON/);
  });

  it('is down without a live DataNode', async () => {
    const r = await check(nameNode('', 0));
    assert.equal(r.status, 'down');
    assert.equal(r.error, 'no live DataNode');
  });

  it('is down when WebHDFS refuses, with the status', async () => {
    const r = await check(nameNode('', 1, 403));
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /GETFILESTATUS.* answered 403/);
  });

  it('is down when the NameNode does not answer in time', async () => {
    const routes = nameNode('', 1);
    routes[INFO] = [200, 'hang'];
    const started = Date.now();
    const r = await check(routes);
    assert.equal(r.status, 'down');
    assert.match(String(r.error), /no answer within 300 ms/);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('RegistryHealthIndicator', () => {
  it('is up with the subject count, down on a non-list or an error status', async () => {
    const { url, server } = await fakeHttp({
      '/ok/subjects': [200, ['a-value', 'b-value']],
      '/odd/subjects': [200, { subjects: [] }],
      '/err/subjects': [500, { error_code: 50001 }],
    });
    try {
      const probe = async (path: string) =>
        (
          await new RegistryHealthIndicator(
            config({ registry: `${url}/${path}` }),
            FAST,
            new HealthIndicatorService(),
          ).isHealthy('registry')
        ).registry as Record<string, unknown>;
      assert.deepEqual(
        { ...(await probe('ok')), latencyMs: 0 },
        { url: `${url}/ok`, latencyMs: 0, subjects: 2, status: 'up' },
      );
      assert.equal((await probe('odd')).error, 'subjects is not a list');
      assert.match(String((await probe('err')).error), /answered 500/);
    } finally {
      server.close();
    }
  });
});

describe('KafkaHealthIndicator', () => {
  it('is down within its time limit when a broker accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const indicator = new KafkaHealthIndicator(
      config({ brokers: [`127.0.0.1:${port}`] }),
      FAST,
      new HealthIndicatorService(),
    );
    try {
      const started = Date.now();
      const r = (await indicator.isHealthy('kafka')).kafka as Record<string, unknown>;
      const took = Date.now() - started;
      assert.equal(r.status, 'down');
      assert.match(String(r.error), /timeout|timed out|no answer within/i);
      assert.ok(took < 1500, `took ${took} ms`);
    } finally {
      await indicator.onModuleDestroy();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
