/** Keys whose values never reach a log line, at the top level or nested a few levels deep. */
const SECRET_KEYS = [
  'apiToken',
  'token',
  'password',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  '"set-cookie"',
  '"x-api-token"',
];

/** Request/response shapes whose headers carry credentials. */
const HEADER_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers.cookie',
  'res.headers["set-cookie"]',
];

/** pino redaction paths (fast-redact syntax); `*` matches one level. */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.*.${k}`),
  ...HEADER_PATHS,
];
