import type { RunnerLogger } from './types';

/** Warnings and errors as JSON lines on stderr; info and debug dropped. */
export const stderrLogger: RunnerLogger = {
  info: () => undefined,
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
