export { logPoolLifecycle, ThreadPool } from './thread-pool';
export type { ThreadMessage, ThreadPoolOptions } from './thread-pool';
export { runThread } from './thread-main';
export type { ThreadRuntime } from './thread-main';
