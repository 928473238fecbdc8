import type { IncomingMessage } from 'node:http';
import { type RetryOptions, retry } from '@lakestream/core';
import { HdfsError } from './errors';
import { readAll, Transport } from './http';
import { webhdfsPath } from './paths';
import { remoteError } from './remote-error';
import type { CreateOptions } from './types';

export type Params = Record<string, string | number | boolean | undefined>;

/** What one NameNode operation answered: parsed JSON (undefined for an empty body) and the attempt it took. */
export interface Answer {
  json: unknown;
  attempt: number;
}

/**
 * The WebHDFS protocol over one keep-alive transport: URL building, JSON operations on the
 * NameNode, and the two-step operations whose data goes to a DataNode. Paths given here are
 * already resolved and checked by the client.
 */
export class WebHdfs {
  readonly transport: Transport;
  private readonly base: URL;

  constructor(
    namenodeUrl: string,
    private readonly user: string,
    readonly retryOptions: RetryOptions,
    timeoutMs: number,
    maxSockets: number,
  ) {
    this.base = new URL(namenodeUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new HdfsError(`namenodeUrl ${namenodeUrl} is not an http(s) URL`, '/');
    }
    this.transport = new Transport(timeoutMs, maxSockets);
  }

  url(path: string, op: string, params: Params = {}): URL {
    const url = new URL(this.base.origin);
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${webhdfsPath(path)}`;
    url.searchParams.set('op', op);
    url.searchParams.set('user.name', this.user);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** One NameNode operation, retried while the failure is retriable; throws typed errors. */
  async call(
    method: string,
    path: string,
    op: string,
    params: Params = {},
    tries?: { attempt: number },
  ): Promise<Answer> {
    return retry(async (attempt) => {
      if (tries) tries.attempt = attempt;
      const url = this.url(path, op, params);
      const res = await this.transport.send(method, url, path);
      const body = await readAll(res, op, url, path);
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) throw remoteError(op, path, status, body.toString('utf8'));
      return { json: body.length === 0 ? undefined : parseJson(body.toString('utf8'), op, path), attempt };
    }, this.retryOptions);
  }

  /**
   * First step of a DataNode operation: asks the NameNode where to go (noredirect=true answers
   * JSON {Location}; a 307 with a Location header is accepted too). Not retried here.
   */
  async locate(method: string, path: string, op: string, params: Params = {}): Promise<URL> {
    const url = this.url(path, op, { ...params, noredirect: true });
    const res = await this.transport.send(method, url, path);
    const body = (await readAll(res, op, url, path, 1 << 20)).toString('utf8');
    const status = res.statusCode ?? 0;
    let location: string | undefined;
    if (status === 307 || status === 302) location = res.headers.location;
    else if (status >= 200 && status < 300)
      location = (parseJson(body, op, path) as { Location?: string }).Location;
    else throw remoteError(op, path, status, body);
    if (!location)
      throw new HdfsError(`${op} ${path}: the NameNode gave no DataNode location`, path, { status });
    return new URL(location);
  }

  /** Opens `[offset, offset+length)` of a file on a DataNode; one attempt. */
  async open(path: string, offset: number, length: number | undefined): Promise<IncomingMessage> {
    const location = await this.locate('GET', path, 'OPEN', { offset, length });
    const res = await this.transport.send('GET', location, path);
    const status = res.statusCode ?? 0;
    if (status === 200) return res;
    const body = (await readAll(res, 'OPEN', location, path, 1 << 20)).toString('utf8');
    throw remoteError('OPEN', path, status, body);
  }

  /** A GET answered by a DataNode with JSON (GETFILECHECKSUM), retried. */
  async dataNodeJson(path: string, op: string): Promise<unknown> {
    return retry(async () => {
      const location = await this.locate('GET', path, op);
      const res = await this.transport.send('GET', location, path);
      const body = (await readAll(res, op, location, path, 1 << 20)).toString('utf8');
      const status = res.statusCode ?? 0;
      if (status !== 200) throw remoteError(op, path, status, body);
      return parseJson(body, op, path);
    }, this.retryOptions);
  }

  /**
   * CREATE in two steps: the NameNode names a DataNode, the bytes go there. Resolves only
   * when the DataNode answered 201; any other final answer becomes a typed error, even when
   * the whole body had been sent. One attempt: the caller decides whether `data` can be replayed.
   */
  async create(
    path: string,
    data: Uint8Array | AsyncIterable<Uint8Array>,
    options: CreateOptions,
    onChunk?: (chunk: Uint8Array) => void,
  ): Promise<number> {
    const params = {
      overwrite: options.overwrite ?? false,
      blocksize: options.blockSize,
      replication: options.replication,
      permission: options.permission,
    };
    const location = await retry(() => this.locate('PUT', path, 'CREATE', params), this.retryOptions);
    const answer = await this.transport.upload('PUT', location, path, data, onChunk);
    if (answer.status !== 201 && answer.status !== 200)
      throw remoteError('CREATE', path, answer.status, answer.body);
    return answer.sent;
  }
}

function parseJson(text: string, op: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HdfsError(`${op} ${path}: the answer is not JSON: ${text.slice(0, 200)}`, path, {
      cause: error,
    });
  }
}
