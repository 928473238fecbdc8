import { randomUUID } from 'node:crypto';
import { type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';

export const HOUR = 60 * 60_000;

/**
 * Makes a staging folder look abandoned `ageMs` ago: children first, since SETTIMES on a
 * child leaves its parent's time alone but creating one does not.
 */
export async function backdate(hdfs: HdfsClient, folder: string, ageMs: number): Promise<void> {
  const modificationTime = Date.now() - ageMs;
  for (const child of await hdfs.list(folder)) {
    const path = `${folder}/${child.name}`;
    if (child.type === 'DIRECTORY') await backdate(hdfs, path, ageMs);
    else await hdfs.setTimes(path, { modificationTime });
  }
  await hdfs.setTimes(folder, { modificationTime });
}

/** A staging folder as a writer killed between upload and rename leaves it: `_tmp/<uuid>/<file>`. */
export async function plantStaging(
  hdfs: HdfsClient,
  options: { ageMs: number; file?: string },
): Promise<string> {
  const folder = `${hdfs.lakeRoot}/_tmp/${randomUUID()}`;
  await hdfs.writeFile(`${folder}/${options.file ?? 'part-00000.parquet'}`, Buffer.from('PAR1 half-written'));
  if (options.ageMs > 0) await backdate(hdfs, folder, options.ageMs);
  return folder;
}

/** The names under `<root>/_tmp` (none when it does not exist). */
export async function stagingNames(hdfs: HdfsClient): Promise<string[]> {
  try {
    return (await hdfs.list(`${hdfs.lakeRoot}/_tmp`)).map((s) => s.name).sort();
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  }
}
