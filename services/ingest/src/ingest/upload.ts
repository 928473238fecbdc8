import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';

/** The upload went beyond ingest.maxUploadBytes; what was received is discarded. */
export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(
      `the upload is larger than the limit of ${limit} bytes (ingest.maxUploadBytes, LAKE_INGEST_MAX_UPLOAD_BYTES); nothing was published`,
    );
    this.name = 'UploadTooLargeError';
  }
}

export class UploadFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadFormatError';
  }
}

export interface ReceivedUpload {
  /** Local paths of the received files, in upload order. */
  files: string[];
  /** The files' names as the client gave them. */
  names: string[];
  bytes: number;
  /** Removes the received files. */
  cleanup(): void;
}

const SAFE_NAME = /[^A-Za-z0-9._-]/g;

/**
 * Streams a request body to local files under `tmpDir`, never holding it in memory:
 * `multipart/form-data` (every file field becomes a file), or a raw body (`text/csv`,
 * `application/vnd.apache.parquet`, `application/octet-stream`) as one file. Beyond
 * `maxBytes` in total the rest of the body is read and dropped (so the client gets the
 * answer rather than a reset connection), and UploadTooLargeError is thrown.
 */
export async function receiveUpload(
  req: IncomingMessage,
  options: { tmpDir: string; maxBytes: number; filename?: string },
): Promise<ReceivedUpload> {
  const dir = mkdtempSync(join(options.tmpDir, 'lake-upload-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const files: string[] = [];
  const names: string[] = [];
  let bytes = 0;
  let tooLarge = false;
  const declared = Number(req.headers['content-length']);

  // Counts bytes into `out`; past the limit it stops writing and only drains.
  const sink = async (source: NodeJS.ReadableStream, name: string): Promise<void> => {
    const path = join(dir, `${files.length}-${basename(name).replace(SAFE_NAME, '_') || 'upload'}`);
    files.push(path);
    names.push(basename(name));
    const out: WriteStream = createWriteStream(path);
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer | string>) {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          if (bytes > options.maxBytes) tooLarge = true;
          if (!tooLarge) yield chunk;
        }
      },
      out,
    );
  };

  try {
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      tooLarge = true;
      req.resume();
      await new Promise<void>((resolve, reject) => req.on('end', resolve).on('error', reject));
    } else if (/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      await receiveMultipart(req, sink);
    } else {
      await sink(req, options.filename ?? defaultName(req.headers['content-type']));
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  if (tooLarge) {
    cleanup();
    throw new UploadTooLargeError(options.maxBytes);
  }
  if (files.length === 0) {
    cleanup();
    throw new UploadFormatError('the multipart upload holds no file field');
  }
  return { files, names, bytes, cleanup };
}

function defaultName(contentType: string | undefined): string {
  return /parquet/i.test(contentType ?? '') ? 'upload.parquet' : 'upload.csv';
}

function receiveMultipart(
  req: IncomingMessage,
  sink: (source: NodeJS.ReadableStream, name: string) => Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers });
    } catch (error) {
      reject(new UploadFormatError(`not a multipart body: ${(error as Error).message}`));
      return;
    }
    const writes: Promise<void>[] = [];
    parser.on('file', (_field, stream, info) => {
      const write = sink(stream, info.filename || 'upload');
      write.catch(() => stream.resume());
      writes.push(write);
    });
    parser.on('error', (error: Error) =>
      reject(new UploadFormatError(`bad multipart body: ${error.message}`)),
    );
    parser.on('close', () => {
      Promise.all(writes).then(() => resolve(), reject);
    });
    req.pipe(parser);
  });
}
