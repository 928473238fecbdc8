import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED_PATHS } from './redaction';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Context every line of a logger carries: dataset, batch, partition, trial, … */
export type LogBindings = Record<string, string | number | boolean | undefined>;

export interface CreateLoggerOptions {
  /** Service or tool name, written as `service` on every line. */
  service: string;
  level?: LogLevel;
  bindings?: LogBindings;
  /** Where JSON lines go; stdout by default (tests pass a stream to capture them). */
  destination?: LogDestination;
}

export type LakeLogger = Logger;

/** A stream that receives the JSON lines (any object with write(string)). */
export type LogDestination = DestinationStream;

/**
 * A pino logger writing one JSON object per line, with `service` and the given
 * bindings on every line and secrets (tokens, passwords, authorization headers)
 * replaced by "[redacted]". Use `logger.child({ dataset, batch })` for context.
 */
export function createLogger(options: CreateLoggerOptions): LakeLogger {
  const settings: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  // Synchronous stdout: a line logged just before a crash, process.exit() or a re-raised
  // SIGTERM must not be lost in an async buffer.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const logger = pino(settings, destination);
  return options.bindings ? logger.child(options.bindings) : logger;
}
