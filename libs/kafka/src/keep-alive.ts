import type { RunnerLogger } from './types';

export interface KeepAliveOptions {
  heartbeat: () => Promise<void>;
  intervalMs: number;
  logger: RunnerLogger;
  /** True for a heartbeat error that means "the group is rebalancing: rejoin". */
  isRejoinError: (error: unknown) => boolean;
  onRejoinNeeded: () => void;
}

export interface KeepAlive {
  stop(): void;
}

/**
 * Heartbeats on a timer while a message is being handled, so a handler longer than the
 * session timeout does not get the member thrown out of its group (kafkajs only heartbeats
 * between messages on its own). A heartbeat that answers "rebalancing" is reported, so that
 * every partition worker of the member stops after its current message and the member
 * rejoins before the rebalance times out.
 */
export function startKeepAlive(options: KeepAliveOptions): KeepAlive {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    options
      .heartbeat()
      .catch((error: unknown) => {
        if (options.isRejoinError(error)) options.onRejoinNeeded();
        else
          options.logger.warn(
            { error: error instanceof Error ? error.message : String(error) },
            'heartbeat failed',
          );
      })
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
