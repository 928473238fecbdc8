import type { ContentSummary, FileChecksum, FileStatus, FileType } from './types';

interface RawStatus {
  pathSuffix: string;
  type: FileType;
  length: number;
  modificationTime: number;
  accessTime: number;
  blockSize: number;
  replication: number;
  owner: string;
  group: string;
  permission: string;
  childrenNum?: number;
}

/** A FileStatus from WebHDFS JSON; `path` is the listed folder (LISTSTATUS) or the file itself. */
export function toFileStatus(raw: RawStatus, path: string): FileStatus {
  const full = raw.pathSuffix ? `${path === '/' ? '' : path}/${raw.pathSuffix}` : path;
  return {
    path: full,
    name: full.slice(full.lastIndexOf('/') + 1),
    type: raw.type,
    length: raw.length,
    modificationTime: raw.modificationTime,
    accessTime: raw.accessTime,
    blockSize: raw.blockSize,
    replication: raw.replication,
    owner: raw.owner,
    group: raw.group,
    permission: raw.permission,
    childrenNum: raw.childrenNum ?? 0,
  };
}

export function statusOf(json: unknown, path: string): FileStatus {
  return toFileStatus((json as { FileStatus: RawStatus }).FileStatus, path);
}

export function statusesOf(json: unknown, folder: string): FileStatus[] {
  const list = (json as { FileStatuses: { FileStatus: RawStatus[] } }).FileStatuses.FileStatus;
  return list.map((raw) => toFileStatus(raw, folder));
}

export function batchOf(json: unknown, folder: string): { entries: FileStatus[]; remaining: number } {
  const listing = (
    json as {
      DirectoryListing: {
        partialListing: { FileStatuses: { FileStatus: RawStatus[] } };
        remainingEntries: number;
      };
    }
  ).DirectoryListing;
  return {
    entries: listing.partialListing.FileStatuses.FileStatus.map((raw) => toFileStatus(raw, folder)),
    remaining: listing.remainingEntries,
  };
}

export function summaryOf(json: unknown): ContentSummary {
  const s = (json as { ContentSummary: ContentSummary }).ContentSummary;
  return {
    directoryCount: s.directoryCount,
    fileCount: s.fileCount,
    length: s.length,
    quota: s.quota,
    spaceConsumed: s.spaceConsumed,
    spaceQuota: s.spaceQuota,
  };
}

export function checksumOf(json: unknown): FileChecksum {
  const c = (json as { FileChecksum: FileChecksum }).FileChecksum;
  return { algorithm: c.algorithm, bytes: c.bytes, length: c.length };
}

/** `<algorithm>:<hex>`, the form descriptors carry. */
export const checksumString = (c: FileChecksum): string => `${c.algorithm}:${c.bytes}`;
