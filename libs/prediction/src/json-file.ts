import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';

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
