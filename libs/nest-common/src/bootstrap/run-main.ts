import { createLogger } from '@lakestream/observability';

/**
 * The body of a service's main.ts: starts it, and if that fails writes one fatal JSON
 * line with the reason and exits with status 1.
 */
export function runServiceMain(service: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    createLogger({ service }).fatal({ err: error }, 'failed to start');
    process.exit(1);
  });
}
