import type { RunnerLogger } from './types';

/** Warnings and errors as JSON lines on stderr; info and debug dropped. A pino logger fits the same interface. */
export const stderrLogger: RunnerLogger = {
  info: () => undefined,
  warn: (fields, message) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
