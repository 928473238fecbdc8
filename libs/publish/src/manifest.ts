import { createHash } from 'node:crypto';

export interface ColumnSpec {
  name: string;
  type: string;
  nullable: boolean;
}

export interface BatchSource {
  kind: 'synthetic' | 'files';
  profile: string | null;
  seed: number | null;
  quirks: boolean;
  files: string[];
}

export interface ManifestFile {
  partition: number;
  path: string;
  rows: number;
  bytes: number;
  /** sha256 of the file's bytes, lowercase hex. */
  checksum: string;
}

/** `_MANIFEST.json`: what a published batch holds; written once, after every file is in place. */
export interface BatchManifestFile {
  dataset: string;
  batch: string;
  partitions: number;
  rows: number;
  bytes: number;
  schema: ColumnSpec[];
  schemaFingerprint: string;
  source: BatchSource;
  contentHash: string;
  createdAt: number;
  files: ManifestFile[];
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A short, stable name for a column list: equal schemas, equal fingerprints. */
export const schemaFingerprint = (columns: readonly ColumnSpec[]): string =>
  sha256(JSON.stringify(columns.map((c) => [c.name, c.type, c.nullable]))).slice(0, 16);
