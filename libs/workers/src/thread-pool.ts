import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { sleep } from '@lakestream/core';

export interface ThreadPoolOptions<D> {
  /** Compiled worker entry (a .js file). */
  script: string;
  /** Threads to keep running. */
  threads: number;
  /** Data for thread i (its index is added as `index`). */
  data: D;
  /** How long stop() waits for a thread to finish its message and leave its group. Default 45 s. */
  stopTimeoutMs?: number;
  /** Backoff before restarting a thread that died. Default 1 s, doubling to 30 s. */
  restartDelayMs?: number;
}

/** What a worker thread posts to its pool. */
export type ThreadMessage =
  | { type: 'ready' }
  | { type: 'stopped' }
  | { type: 'event'; event: string; fields: Record<string, unknown> };

/**
 * Keeps N worker threads running, each a consumer of the same group: one per core gives a
 * node N consumers without N processes. A thread that dies is restarted with backoff (its
 * uncommitted message is redelivered by Kafka); stop() asks each thread to finish and leave.
 */
export class ThreadPool<D extends object> extends EventEmitter {
  private readonly workers = new Map<number, Worker>();
  private stopping = false;
  private restarts = 0;

  constructor(private readonly options: ThreadPoolOptions<D>) {
    super();
  }

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.threads }, (_, i) => this.spawn(i)));
  }

  get size(): number {
    return this.workers.size;
  }

  get restartCount(): number {
    return this.restarts;
  }

  private spawn(index: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.options.script, { workerData: { ...this.options.data, index } });
      this.workers.set(index, worker);
      let ready = false;
      worker.on('message', (m: ThreadMessage) => {
        if (m.type === 'ready' && !ready) {
          ready = true;
          resolve();
        } else if (m.type === 'event') this.emit('event', { thread: index, event: m.event, ...m.fields });
      });
      worker.once('error', (error) => {
        this.emit('thread-error', { thread: index, error });
        if (!ready) reject(error);
      });
      worker.once('exit', (code) => {
        this.workers.delete(index);
        if (this.stopping) return;
        this.emit('thread-exit', { thread: index, code });
        if (!ready) return;
        this.restarts++;
        const delay = Math.min(
          30_000,
          (this.options.restartDelayMs ?? 1000) * 2 ** Math.min(5, this.restarts - 1),
        );
        void sleep(delay).then(() =>
          this.stopping
            ? undefined
            : this.spawn(index).catch((error) => this.emit('thread-error', { thread: index, error })),
        );
      });
    });
  }

  /** Asks every thread to stop (finish the message in hand, commit, leave the group), then terminates stragglers. */
  async stop(): Promise<void> {
    this.stopping = true;
    const timeout = this.options.stopTimeoutMs ?? 45_000;
    await Promise.all(
      [...this.workers.values()].map(async (worker) => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'stop' });
        const timer = new AbortController();
        const result = await Promise.race([
          exited.then(() => 'exited' as const),
          sleep(timeout, timer.signal).then(() => 'timeout' as const),
        ]);
        // The grace timer must not hold the process open once the thread is gone.
        timer.abort();
        if (result === 'timeout') await worker.terminate();
      }),
    );
  }
}

/** The pool's lifecycle in a service's log: thread exits (restarted) and failures. */
export function logPoolLifecycle(
  pool: ThreadPool<object>,
  logger: { warn(fields: object, message: string): void; error(fields: object, message: string): void },
  label: string,
): void {
  pool.on('thread-exit', (e: object) => logger.warn(e, `${label} thread exited; restarting`));
  pool.on('thread-error', (e: { thread: number; error: Error }) =>
    logger.error({ thread: e.thread, err: e.error.message }, `${label} thread failed`),
  );
}
