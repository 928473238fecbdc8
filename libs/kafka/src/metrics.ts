import type { RunnerMetricsSnapshot } from './types';

/** The runner's counters; `snapshot()` hands out plain numbers. */
export class RunnerMetrics {
  messagesHandled = 0;
  failures = 0;
  retries = 0;
  deadLettered = 0;
  messagesProduced = 0;
  handlerSeconds = 0;
  groupJoins = 0;
  crashes = 0;
  inFlight = 0;
  private readonly startedAt = Date.now();

  snapshot(): RunnerMetricsSnapshot {
    const uptimeSeconds = (Date.now() - this.startedAt) / 1000;
    return {
      messagesHandled: this.messagesHandled,
      failures: this.failures,
      retries: this.retries,
      deadLettered: this.deadLettered,
      messagesProduced: this.messagesProduced,
      handlerSeconds: this.handlerSeconds,
      groupJoins: this.groupJoins,
      crashes: this.crashes,
      inFlight: this.inFlight,
      uptimeSeconds,
      throughputPerSecond: uptimeSeconds > 0 ? this.messagesHandled / uptimeSeconds : 0,
    };
  }
}
