/**
 * The base of every lakestream error. `retriable` tells retry loops and the consumer
 * runner whether trying again can help (an outage) or not (bad input, a bug).
 */
export class LakeError extends Error {
  readonly retriable: boolean;
  override readonly cause?: unknown;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message);
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** A user-supplied value (name, path, flag, field) that cannot be accepted as given. */
export class InvalidInputError extends LakeError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, { retriable: false });
  }
}

/** True when `error` says that trying again may succeed. */
export function isRetriable(error: unknown): boolean {
  return error instanceof LakeError ? error.retriable : false;
}

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
