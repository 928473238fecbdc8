import { type RetryOptions, retry } from '@lakestream/core';
import { IncompatibleSchemaError, RegistryRequestError, RegistryUnavailableError } from './errors';

/** Compatibility levels of the Confluent registry API (Apicurio's ccompat API accepts them). */
export type Compatibility =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export interface RegistryClientOptions {
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
  url: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Retries of outages (connection refused, timeout, 5xx, 429) before giving up. */
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

/** Confluent's error code for "schema id not found". */
export const SCHEMA_NOT_FOUND = 40403;
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * The four calls the codec needs from a Confluent-compatible registry, over plain fetch.
 * Chosen over @kafkajs/confluent-schema-registry's client (mappersmith) because the codec must
 * tell an outage (retriable) from a refusal (not retriable) and must set a subject's
 * compatibility itself; the wire format is checked against that library in the tests.
 */
export class RegistryClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RegistryClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  /** Registers `schema` under `subject` (idempotent: the same schema returns its existing id). */
  async register(subject: string, schema: string): Promise<number> {
    const body = await this.request<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, {
      schema,
      schemaType: 'AVRO',
    }).catch((error: unknown) => {
      if (error instanceof RegistryRequestError && (error.status === 409 || error.errorCode === 409))
        throw new IncompatibleSchemaError(subject, error.message, error.status, error.errorCode, error.url);
      throw error;
    });
    return body.id;
  }

  /** The schema text registered under a global id. */
  async schemaById(id: number): Promise<string> {
    return (await this.request<{ schema: string }>('GET', `/schemas/ids/${id}`)).schema;
  }

  /**
   * Sets a subject's compatibility level. When two processes do it for a new subject at once
   * (services starting on two hosts), Apicurio can answer the second 409 "A rule named
   * 'COMPATIBILITY' already exists": the rule is there, so its level is read back and set
   * again only if it differs.
   */
  async setCompatibility(subject: string, compatibility: Compatibility): Promise<void> {
    const put = () => this.request('PUT', `/config/${enc(subject)}`, { compatibility });
    try {
      await put();
    } catch (error) {
      if (!(error instanceof RegistryRequestError && error.status === 409)) throw error;
      if ((await this.compatibility(subject)) !== compatibility) await put();
    }
  }

  /** The subject's own compatibility level, or undefined when it follows the global one. */
  async compatibility(subject: string): Promise<string | undefined> {
    try {
      return (await this.request<{ compatibilityLevel: string }>('GET', `/config/${enc(subject)}`))
        .compatibilityLevel;
    } catch (error) {
      if (error instanceof RegistryRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Whether `schema` could be registered as the subject's next version. */
  async isCompatible(subject: string, schema: string): Promise<boolean> {
    const body = await this.request<{ is_compatible: boolean }>(
      'POST',
      `/compatibility/subjects/${enc(subject)}/versions/latest`,
      { schema, schemaType: 'AVRO' },
    );
    return body.is_compatible;
  }

  /** Registered versions of a subject (empty when the subject does not exist). */
  async versions(subject: string): Promise<number[]> {
    try {
      return await this.request<number[]>('GET', `/subjects/${enc(subject)}/versions`);
    } catch (error) {
      if (error instanceof RegistryRequestError && error.status === 404) return [];
      throw error;
    }
  }

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return retry(() => this.once<T>(method, path, body), {
      retries: 3,
      initialDelayMs: 100,
      maxDelayMs: 1000,
      ...this.options.retry,
    });
  }

  private async once<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.base}${path}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, {
        method,
        headers: { accept: CONTENT_TYPE, ...(body === undefined ? {} : { 'content-type': CONTENT_TYPE }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      text = await res.text();
    } catch (error) {
      throw new RegistryUnavailableError(
        `schema registry unreachable (${method} ${url}): ${describeFetchError(error)}`,
        url,
        error,
      );
    }
    let parsed: unknown;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) {
      if (parsed === undefined && method !== 'PUT')
        throw new RegistryUnavailableError(`schema registry sent a non-JSON answer to ${method} ${url}`, url);
      return parsed as T;
    }
    const detail = parsed as { message?: string; error_code?: number } | undefined;
    const message = `schema registry answered ${res.status} to ${method} ${url}: ${detail?.message ?? text.slice(0, 200)}`;
    // 5xx, 429 and 408 are outages; so is a 404 without a registry error code (a proxy or a
    // wrong base URL, not an answer about a schema): wait rather than dead-letter messages.
    if (
      res.status >= 500 ||
      res.status === 429 ||
      res.status === 408 ||
      (res.status === 404 && !detail?.error_code)
    )
      throw new RegistryUnavailableError(message, url);
    throw new RegistryRequestError(message, res.status, detail?.error_code, url);
  }
}

function enc(subject: string): string {
  return encodeURIComponent(subject);
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error.name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? error.message;
}
