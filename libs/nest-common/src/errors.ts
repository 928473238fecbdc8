import { LakeError } from '@lakestream/core';

/** A service was asked to listen beyond loopback without an API token to protect it. */
export class ApiTokenRequiredError extends LakeError {
  constructor(readonly host: string) {
    super(
      `refusing to start: http.host=${host} binds beyond loopback but no API token is configured ` +
        '(set LAKE_API_TOKEN, or bind to 127.0.0.1)',
      { retriable: false },
    );
  }
}

/** An HTTP probe of a dependency failed: unreachable, timed out, or an unexpected answer. */
export class ProbeError extends LakeError {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, { retriable: true, cause });
  }
}
