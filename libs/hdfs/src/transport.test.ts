// The client against a stand-in WebHDFS server on loopback: failures the real stack cannot be
// asked to produce on cue (a connection cut mid-read, an answer that never comes, a 503).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { HdfsClient } from './client';
import {
  HdfsAlreadyExistsError,
  HdfsConnectionError,
  HdfsQuotaExceededError,
  HdfsRenameError,
  HdfsSafeModeError,
} from './errors';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;
let handler: Handler = (_req, res) => res.end();
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => handler(req, res, new URL(req.url ?? '/', base)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const client = (extra: Partial<ConstructorParameters<typeof HdfsClient>[0]> = {}) =>
  new HdfsClient({
    namenodeUrl: base,
    user: 'u',
    lakeRoot: '/lake',
    retry: { retries: 3, initialDelayMs: 5 },
    ...extra,
  });

/** NameNode step: point the client back at this server's /dn path. */
function redirect(res: http.ServerResponse, url: URL) {
  const dn = new URL(url);
  dn.pathname = `/dn${url.pathname}`;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ Location: dn.href }));
}

const remote = (res: http.ServerResponse, status: number, exception: string, message: string) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ RemoteException: { exception, javaClassName: `x.${exception}`, message } }));
};

test('a read cut off midway resumes at the next byte; the caller sees one clean stream', async () => {
  const bytes = randomBytes(3 << 20);
  const opens: string[] = [];
  handler = (req, res, url) => {
    if (!url.pathname.startsWith('/dn')) return redirect(res, url);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    opens.push(String(offset));
    res.setHeader('content-length', bytes.length - offset);
    if (opens.length === 1) {
      res.write(bytes.subarray(offset, offset + 1_000_000), () => req.socket.destroy());
      return;
    }
    res.end(bytes.subarray(offset));
  };
  const c = client();
  const stream = c.createReadStream('/lake/f');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(Buffer.concat(chunks).equals(bytes));
  assert.equal(opens.length, 2);
  assert.equal(opens[0], '0');
  assert.ok(Number(opens[1]) > 0 && Number(opens[1]) <= 1_000_000, `resumed at ${opens[1]}`);
  assert.equal(stream.requests, 2);
  c.close();
});

test('an upload is a success only when the DataNode says so: an error after the whole body is an error', async () => {
  let received = 0;
  handler = (req, res, url) => {
    if (!url.pathname.startsWith('/dn')) return redirect(res, url);
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    req.on('end', () =>
      remote(res, 403, 'DSQuotaExceededException', 'The DiskSpace quota of /lake/q is exceeded\n\tat x'),
    );
  };
  const c = client();
  await assert.rejects(
    c.writeFile(
      'q/f',
      (async function* () {
        for (let i = 0; i < 4; i++) yield randomBytes(256 << 10);
      })(),
    ),
    (e: unknown) =>
      e instanceof HdfsQuotaExceededError && e.path === '/lake/q/f' && !e.message.includes('\tat'),
  );
  assert.equal(received, 1 << 20, 'the whole body had been sent');
  c.close();
});

test('an early refusal stops a long upload instead of hanging', async () => {
  handler = (_req, res, url) => {
    if (!url.pathname.startsWith('/dn')) return redirect(res, url);
    remote(res, 403, 'FileAlreadyExistsException', '/lake/f already exists');
  };
  let produced = 0;
  async function* endless() {
    for (;;) {
      produced++;
      yield randomBytes(64 << 10);
    }
  }
  const c = client();
  await assert.rejects(c.writeFile('f', endless()), HdfsAlreadyExistsError);
  assert.ok(produced < 10_000, `stopped pulling the source (${produced} chunks)`);
  c.close();
});

test('503 is retried; a silent server times out into HdfsConnectionError', async () => {
  let calls = 0;
  handler = (_req, res) => {
    calls++;
    if (calls < 3) {
      res.statusCode = 503;
      res.end('busy');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ boolean: true }));
  };
  const c = client();
  await c.mkdirs('a');
  assert.equal(calls, 3);
  handler = () => {};
  const slow = client({ timeoutMs: 100, retry: { retries: 2, initialDelayMs: 5 } });
  await assert.rejects(
    slow.stat('a'),
    (e: unknown) => e instanceof HdfsConnectionError && e.code === 'ETIMEDOUT',
  );
  c.close();
  slow.close();
});

test('a rename answered {"boolean": false} is an HdfsRenameError, not a success', async () => {
  handler = (_req, res, url) => {
    res.setHeader('content-type', 'application/json');
    if (url.searchParams.get('op') === 'RENAME') return res.end('{"boolean":false}');
    // GETFILESTATUS: the source is there, the destination too.
    res.end(
      JSON.stringify({
        FileStatus: {
          pathSuffix: '',
          type: 'FILE',
          length: 1,
          modificationTime: 0,
          accessTime: 0,
          blockSize: 1,
          replication: 1,
          owner: 'u',
          group: 'g',
          permission: '644',
        },
      }),
    );
  };
  const c = client();
  await assert.rejects(
    c.rename('a', 'b'),
    (e: unknown) => e instanceof HdfsRenameError && /destination already exists/.test(e.message),
  );
  c.close();
});

test('safe mode is waited out with backoff; when it lasts, HdfsSafeModeError (retriable) says so', async () => {
  let calls = 0;
  let leaveAfter = 3;
  handler = (_req, res) => {
    calls++;
    if (calls < leaveAfter)
      return remote(
        res,
        403,
        'SafeModeException',
        'Cannot create directory /lake/a. Name node is in safe mode.',
      );
    res.setHeader('content-type', 'application/json');
    res.end('{"boolean":true}');
  };
  const c = client();
  await c.mkdirs('a');
  assert.equal(calls, 3);
  calls = 0;
  leaveAfter = 100;
  await assert.rejects(
    c.mkdirs('a'),
    (e: unknown) => e instanceof HdfsSafeModeError && e.retriable && /safe mode/.test(e.message),
  );
  assert.equal(calls, 3, 'bounded by retry.retries');
  c.close();
});
