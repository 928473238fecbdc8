import { isRetriable } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** 0..1: how much of each delay is randomised, so that many workers don't retry in step. */
  jitter?: number;
  /** Decides whether an error is worth another attempt; defaults to the error's `retriable` flag. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

export class RetryBailError extends Error {
  constructor(readonly original: unknown) {
    super('retry bailed');
  }
}

/**
 * Runs `fn` until it succeeds, an error is not retriable, or the attempts run out;
 * waits with exponential backoff and jitter between attempts. `bail(err)` inside `fn`
 * stops at once with `err`.
 */
export async function retry<T>(
  fn: (attempt: number, bail: (error: unknown) => never) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const retries = options.retries ?? 5;
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 10_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const shouldRetry = options.shouldRetry ?? ((error: unknown) => isRetriable(error));
  const bail = (error: unknown): never => {
    throw new RetryBailError(error);
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt, bail);
    } catch (error) {
      if (error instanceof RetryBailError) throw error.original;
      if (attempt >= retries || !shouldRetry(error, attempt) || options.signal?.aborted) throw error;
      const base = Math.min(max, initial * factor ** (attempt - 1));
      const delay = Math.round(base * (1 - jitter + Math.random() * 2 * jitter));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
