import type { RunnerLogger } from './types';

export interface KeepAlive {
  /** True once a heartbeat answered that the group is rebalancing. */
  readonly rebalancing: boolean;
  stop(): void;
}

/**
 * Heartbeats on a timer while a message is being handled, so a handler longer than the
 * session timeout does not get the member thrown out of its group (kafkajs only heartbeats
 * between messages on its own).
 */
export function startKeepAlive(
  heartbeat: () => Promise<void>,
  intervalMs: number,
  logger: RunnerLogger,
): KeepAlive {
  const state = { rebalancing: false, busy: false };
  const timer = setInterval(() => {
    if (state.busy) return;
    state.busy = true;
    heartbeat()
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (/rebalanc/i.test(message)) state.rebalancing = true;
        else logger.warn({ error: message }, 'heartbeat failed');
      })
      .finally(() => {
        state.busy = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    get rebalancing() {
      return state.rebalancing;
    },
    stop: () => clearInterval(timer),
  };
}
