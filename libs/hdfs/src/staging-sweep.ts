import type { HdfsClient } from './client';
import { HdfsNotFoundError } from './errors';
import type { FileStatus } from './types';

/** The staging folders this client's own writes are using right now (this thread). */
const inFlight = new Set<string>();

/** Marks `folder` as in use by a live write until `release` runs (the sweeper never touches it). */
export function holdStaging(folder: string): () => void {
  inFlight.add(folder);
  return () => inFlight.delete(folder);
}

export interface StagingSweepOptions {
  /**
   * A staging folder is removed once its newest entry is older than this. It must exceed the
   * longest staged write: the sweeper cannot ask HDFS whether another process still writes
   * there, so age is what says "abandoned" (staged writes take seconds; the default is 1 h).
   */
  maxAgeMs: number;
  /** The clock to compare modification times with (default Date.now()). */
  now?: number;
  /** How deep to look for the newest entry inside a staging folder (default 3). */
  depth?: number;
}

export interface StagingSweepResult {
  /** Absolute paths of the staging folders removed. */
  swept: string[];
  /** Staging folders left because they are young or in use here. */
  kept: number;
}

/**
 * Removes staging folders under `<root>/_tmp` that a writer left behind (a process killed
 * between upload and rename): only folders whose every entry is older than `maxAgeMs`, never
 * one held by a write in this thread, never a plain file or anything outside `_tmp`.
 * Concurrent sweepers are harmless: a folder already gone counts as not swept by this one.
 */
export async function sweepStaging(
  hdfs: HdfsClient,
  options: StagingSweepOptions,
): Promise<StagingSweepResult> {
  const root = `${hdfs.lakeRoot}/_tmp`;
  const now = options.now ?? Date.now();
  const result: StagingSweepResult = { swept: [], kept: 0 };
  let entries: FileStatus[];
  try {
    entries = await hdfs.list(root);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return result;
    throw error;
  }
  for (const entry of entries) {
    if (entry.type !== 'DIRECTORY') continue;
    const folder = `${root}/${entry.name}`;
    if (inFlight.has(folder) || now - entry.modificationTime < options.maxAgeMs) {
      result.kept++;
      continue;
    }
    const newest = await newestModification(hdfs, folder, entry.modificationTime, options.depth ?? 3);
    // Checked again just before deleting: a writer that touched the folder since the listing keeps it.
    if (newest === undefined || now - newest < options.maxAgeMs || inFlight.has(folder)) {
      if (newest !== undefined) result.kept++;
      continue;
    }
    if (await hdfs.delete(folder, { recursive: true })) result.swept.push(folder);
  }
  return result;
}

/** The latest modification time of `folder` and what lies below it; undefined once it is gone. */
async function newestModification(
  hdfs: HdfsClient,
  folder: string,
  own: number,
  depth: number,
): Promise<number | undefined> {
  let children: FileStatus[];
  try {
    children = await hdfs.list(folder);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
  let newest = own;
  for (const child of children) {
    newest = Math.max(newest, child.modificationTime);
    if (child.type === 'DIRECTORY' && depth > 1) {
      const below = await newestModification(
        hdfs,
        `${folder}/${child.name}`,
        child.modificationTime,
        depth - 1,
      );
      if (below !== undefined) newest = Math.max(newest, below);
    }
  }
  return newest;
}

export interface StagingSweeperOptions extends Omit<StagingSweepOptions, 'now'> {
  /** Time between sweeps after the first one at start; 0 sweeps once, at start only. */
  intervalMs: number;
  onSwept?: (result: StagingSweepResult) => void;
  /** A failed sweep (an outage, safe mode) is reported here and tried again at the next interval. */
  onError?: (error: unknown) => void;
}

/** Sweeps `_tmp` at start and then every `intervalMs`, until stopped; one sweep at a time. */
export class StagingSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly hdfs: HdfsClient,
    private readonly options: StagingSweeperOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Runs one sweep now (unless one is running) and resolves when it is done. */
  sweepNow(): Promise<void> {
    this.running ??= sweepStaging(this.hdfs, this.options)
      .then((r) => this.options.onSwept?.(r))
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    void this.sweepNow().then(() => {
      if (this.stopped || this.options.intervalMs <= 0) return;
      this.timer = setTimeout(() => this.tick(), this.options.intervalMs);
      this.timer.unref();
    });
  }
}
