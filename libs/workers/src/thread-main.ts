import { parentPort, workerData } from 'node:worker_threads';
import type { ThreadMessage } from './thread-pool';

export interface ThreadRuntime<D> {
  data: D & { index: number };
  /** Sends an event to the pool (logs, metrics). */
  emit(event: string, fields?: Record<string, unknown>): void;
}

/**
 * The body of a pool thread: `start` builds and starts its consumer and returns how to stop
 * it; the pool's stop request runs that, then the thread exits.
 */
export function runThread<D>(start: (runtime: ThreadRuntime<D>) => Promise<() => Promise<void>>): void {
  const port = parentPort;
  if (!port) throw new Error('runThread must run inside a worker thread of a ThreadPool');
  const post = (m: ThreadMessage) => port.postMessage(m);
  const runtime: ThreadRuntime<D> = {
    data: workerData as D & { index: number },
    emit: (event, fields = {}) => post({ type: 'event', event, fields }),
  };
  start(runtime).then(
    (stop) => {
      post({ type: 'ready' });
      port.on('message', (m: { type: string }) => {
        if (m.type !== 'stop') return;
        stop().finally(() => {
          post({ type: 'stopped' });
          process.exit(0);
        });
      });
    },
    (error: unknown) => {
      // An error at start-up is the pool's to report; throwing ends the thread with it.
      setImmediate(() => {
        throw error;
      });
    },
  );
}
