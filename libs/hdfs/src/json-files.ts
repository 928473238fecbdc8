import type { HdfsClient } from './client';
import { HdfsAlreadyExistsError, HdfsNotFoundError } from './errors';

/**
 * The small-file idioms every stage's idempotent outputs are built on: a JSON file that may not
 * exist yet, a create-without-overwrite whose loser learns it lost, a folder that may not exist.
 */

/** A small JSON file, or undefined when it does not exist. */
export async function readJsonFile<T>(
  hdfs: HdfsClient,
  path: string,
  maxBytes = 16 << 20,
): Promise<T | undefined> {
  try {
    return JSON.parse(Buffer.from(await hdfs.readFile(path, { maxBytes })).toString('utf8')) as T;
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
}

/** Creates a file unless it exists; true when this call created it. */
export async function createIfAbsent(
  hdfs: HdfsClient,
  path: string,
  data: Uint8Array | string,
): Promise<boolean> {
  try {
    await hdfs.createExclusive(path, data);
    return true;
  } catch (error) {
    if (error instanceof HdfsAlreadyExistsError) return false;
    throw error;
  }
}

/** A folder's entry names; none when the folder does not exist. */
export async function listNames(hdfs: HdfsClient, dir: string): Promise<string[]> {
  try {
    return (await hdfs.list(dir)).map((e) => e.name);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  }
}
