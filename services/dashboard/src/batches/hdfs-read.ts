import { type FileStatus, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';

/** A folder's entries; empty when the folder does not exist (yet). */
export async function listOrEmpty(hdfs: HdfsClient, path: string): Promise<FileStatus[]> {
  try {
    return await hdfs.list(path);
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  }
}

/** A small JSON file as stored, or undefined when it does not exist (yet). */
export async function readJsonOrUndefined<T>(hdfs: HdfsClient, path: string): Promise<T | undefined> {
  try {
    const bytes = await hdfs.readFile(path, { maxBytes: 16 << 20 });
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
}
