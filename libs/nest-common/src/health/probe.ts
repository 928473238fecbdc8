import { errorMessage } from '@lakestream/core';
import { ProbeError } from '../errors';

/** GETs `url` and parses a JSON body, failing on timeout, network error or non-2xx status. */
export async function getJson<T>(url: string, timeoutMs: number): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    throw new ProbeError(`GET ${url} failed: ${describeFetchError(error, timeoutMs)}`, url, undefined, error);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ProbeError(
      `GET ${url} answered ${response.status}: ${text.slice(0, 200)}`,
      url,
      response.status,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ProbeError(`GET ${url} answered non-JSON: ${text.slice(0, 200)}`, url, response.status, error);
  }
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as unknown) : undefined;
  return cause ? errorMessage(cause) : errorMessage(error);
}

/** Milliseconds since `started` (a performance.now() value), rounded to 0.1 ms. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
