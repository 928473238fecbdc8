import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';

/** A small JSON file, or undefined when it does not exist. */
export async function readJson<T>(
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
export async function createIfAbsent(hdfs: HdfsClient, path: string, data: string): Promise<boolean> {
  try {
    await hdfs.createExclusive(path, data);
    return true;
  } catch (error) {
    if (error instanceof HdfsAlreadyExistsError) return false;
    throw error;
  }
}

/** A folder's entry names; none when it does not exist. */
export async function listNames(hdfs: HdfsClient, dir: string): Promise<string[]> {
  try {
    return (await hdfs.list(dir)).map((e) => e.name);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  }
}
