import { createHash } from 'node:crypto';
import {
  createReadStream,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  closeSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { HdfsClient } from '@lakestream/hdfs';
import { InputFileError } from './input-errors';

/** One input file, on local disk (files from HDFS are copied to a local temp folder first). */
export interface InputFile {
  /** As the user named it (local path or hdfs:// URL): used in messages and the manifest. */
  name: string;
  localPath: string;
  format: 'csv' | 'parquet';
  bytes: number;
}

export interface ResolvedInputs {
  files: InputFile[];
  /** Removes the local copies of HDFS files. */
  cleanup(): void;
}

const DATA_FILE = /\.(csv|tsv|txt|parquet|parq|pq)$/i;
const HIDDEN = /(^|\/)[._]/;

/** Parquet when the file starts with the magic `PAR1`, else CSV. */
function sniff(path: string): 'csv' | 'parquet' {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && head.toString('latin1') === 'PAR1' ? 'parquet' : 'csv';
  } finally {
    closeSync(fd);
  }
}

const hdfsPath = (url: string): string => {
  const u = new URL(url);
  return decodeURIComponent(u.pathname);
};

/**
 * Expands the arguments (files or folders, local or `hdfs://`) to data files in a stable
 * order (folders: their .csv/.parquet files below them, sorted, hidden and `_` files skipped).
 * HDFS files are streamed to a local temp folder, so every reader works on local files.
 */
export async function resolveInputs(
  args: readonly string[],
  hdfs: HdfsClient,
  tmpDir = tmpdir(),
): Promise<ResolvedInputs> {
  const files: InputFile[] = [];
  let copies: string | undefined;
  const cleanup = (): void => {
    if (copies) rmSync(copies, { recursive: true, force: true });
  };
  try {
    for (const arg of args) {
      if (arg.startsWith('hdfs://') || arg.startsWith('hdfs:/')) {
        const path = hdfsPath(arg);
        const st = await hdfs.stat(path).catch((error: unknown) => {
          throw new InputFileError({ file: arg }, `cannot read: ${(error as Error).message}`, {
            cause: error,
          });
        });
        const entries =
          st.type === 'DIRECTORY'
            ? (await hdfs.list(path)).filter(
                (e) => e.type === 'FILE' && DATA_FILE.test(e.name) && !HIDDEN.test(e.name),
              )
            : [st];
        entries.sort((a, b) => (a.path < b.path ? -1 : 1));
        for (const e of entries) {
          copies ??= mkdtempSync(join(tmpDir, 'lake-inputs-'));
          const local = join(copies, `${files.length}-${e.name}`);
          await copyFromHdfs(hdfs, e.path, e.length, local);
          files.push({ name: `hdfs://${e.path}`, localPath: local, format: sniff(local), bytes: e.length });
        }
        continue;
      }
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(arg);
      } catch (error) {
        throw new InputFileError({ file: arg }, `cannot read: ${(error as Error).message}`, { cause: error });
      }
      const paths = st.isDirectory()
        ? (readdirSync(arg, { recursive: true }) as string[])
            .filter((p) => DATA_FILE.test(p) && !HIDDEN.test(p))
            .sort()
            .map((p) => join(arg, p))
        : [arg];
      for (const p of paths) {
        try {
          files.push({ name: p, localPath: p, format: sniff(p), bytes: statSync(p).size });
        } catch (error) {
          throw new InputFileError({ file: p }, `cannot read: ${(error as Error).message}`, { cause: error });
        }
      }
      if (st.isDirectory() && paths.length === 0)
        throw new InputFileError({ file: arg }, 'the folder holds no .csv or .parquet files');
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  if (files.length === 0) throw new InputFileError({ file: args.join(' ') || '(none)' }, 'no input files');
  return { files, cleanup };
}

async function copyFromHdfs(hdfs: HdfsClient, path: string, length: number, local: string): Promise<void> {
  const fd = openSync(local, 'w');
  try {
    const piece = 8 << 20;
    for (let offset = 0; offset < length; offset += piece) {
      const bytes = await hdfs.read(path, { offset, length: Math.min(piece, length - offset) });
      writeSync(fd, bytes);
    }
  } finally {
    closeSync(fd);
  }
}

/** sha256 of a local file's bytes, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const displayPath = (path: string, base = process.cwd()): string => {
  const r = relative(base, path);
  return r.startsWith('..') ? path : r || path;
};
