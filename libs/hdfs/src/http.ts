import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { HdfsConnectionError, HdfsError } from './errors';

/** Keep-alive agents shared by every request of one client, one per protocol. */
export class Transport {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(
    readonly timeoutMs: number,
    maxSockets: number,
  ) {
    const options = { keepAlive: true, maxSockets, keepAliveMsecs: 1000 };
    this.agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  }

  private start(method: string, url: URL, headers: http.OutgoingHttpHeaders): http.ClientRequest {
    const isHttps = url.protocol === 'https:';
    const agent = isHttps ? this.agents['https:'] : this.agents['http:'];
    const request = isHttps ? https.request : http.request;
    return request(url, { method, agent, headers });
  }

  /** Sends a request without a body (or with a small one) and resolves with the streaming answer. */
  send(method: string, url: URL, path: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.start(method, url, { 'content-length': 0 });
      req.setTimeout(this.timeoutMs, () => req.destroy(timeoutError(method, url, path, this.timeoutMs)));
      req.once('error', (error) => reject(connectionError(error, method, url, path)));
      req.once('response', (res) => {
        // Errors of the answer's body surface on `res` to whoever reads it; until a reader has
        // attached, and for late socket errors on `req`, a no-op listener keeps them handled.
        req.on('error', () => {});
        res.on('error', () => {});
        resolve(res);
      });
      req.end();
    });
  }

  /**
   * PUTs (or POSTs) `body` and resolves with the final status and answer body. The upload is
   * over only when the server has answered: a request body that was fully written proves
   * nothing. An early answer (the DataNode refusing the file) stops the upload; a failing
   * `body` iterable aborts the request and rejects with the iterable's own error.
   */
  upload(
    method: string,
    url: URL,
    path: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    onChunk?: (chunk: Uint8Array) => void,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: string; sent: number }> {
    return new Promise((resolve, reject) => {
      const stop = new AbortController();
      let settled = false;
      let answered = false;
      let sent = 0;
      const settle = (
        error: unknown,
        value?: { status: number; headers: IncomingHttpHeaders; body: string },
      ) => {
        if (settled) return;
        settled = true;
        stop.abort();
        if (!req.writableFinished) req.destroy();
        if (error !== undefined || !value) reject(error);
        else resolve({ ...value, sent });
      };
      const buffered = body instanceof Uint8Array;
      const req = this.start(method, url, {
        'content-type': 'application/octet-stream',
        ...(buffered ? { 'content-length': body.byteLength } : {}),
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(timeoutError(method, url, path, this.timeoutMs)));
      req.on('error', (error) => {
        if (!answered) settle(connectionError(error, method, url, path));
      });
      req.once('response', (res) => {
        answered = true;
        readAll(res, method, url, path, 1 << 20).then(
          (buf) =>
            settle(undefined, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: buf.toString('utf8'),
            }),
          (error) => settle(error),
        );
      });
      if (buffered) {
        sent = body.byteLength;
        onChunk?.(body);
        req.end(body);
        return;
      }
      void (async () => {
        try {
          for await (const item of body) {
            if (settled) return;
            // Readable.from(['text']) yields strings: send them as UTF-8 like any other chunk.
            const chunk: Uint8Array = typeof item === 'string' ? Buffer.from(item) : item;
            sent += chunk.byteLength;
            onChunk?.(chunk);
            if (!req.write(chunk)) await once(req, 'drain', { signal: stop.signal });
          }
          if (!settled) req.end();
        } catch (error) {
          // Our own abort, or a request error already reported: nothing more to say.
          if (!settled) settle(error);
        }
      })();
    });
  }

  /** Closes idle keep-alive sockets; the client may not be used afterwards. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

/** Reads a whole (small) answer body, refusing more than `limit` bytes. */
export async function readAll(
  res: IncomingMessage,
  method: string,
  url: URL,
  path: string,
  limit = 256 << 20,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        res.destroy();
        throw new HdfsError(`${method} ${path}: answer larger than ${limit} bytes`, path);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HdfsError) throw error;
    throw connectionError(error, method, url, path);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

export function connectionError(error: unknown, method: string, url: URL, path: string): HdfsError {
  if (error instanceof HdfsError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new HdfsConnectionError(`${method} ${path} via ${url.host}: ${code ?? message}`, path, code, {
    cause: error,
  });
}

function timeoutError(method: string, url: URL, path: string, ms: number): HdfsConnectionError {
  return new HdfsConnectionError(
    `${method} ${path} via ${url.host}: no answer for ${ms} ms`,
    path,
    'ETIMEDOUT',
  );
}
