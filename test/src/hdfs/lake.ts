import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RetryOptions } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { findJava, stackLayout } from '@lakestream/stack';
import { repoRoot } from '@lakestream/testkit';
import { stackConfig } from '../stack/config';

/** A client confined to a fresh folder of its own under /lake-test, and how to remove it. */
export interface TestLake {
  client: HdfsClient;
  root: string;
  cleanup(): Promise<void>;
}

export async function testLake(
  name: string,
  retry: RetryOptions = { retries: 3, initialDelayMs: 100 },
): Promise<TestLake> {
  const { hdfs } = stackConfig();
  const root = `/lake-test/hdfs-${name}-${randomUUID().slice(0, 8)}`;
  const client = new HdfsClient({ namenodeUrl: hdfs.namenodeUrl, user: hdfs.user, lakeRoot: root, retry });
  await client.mkdirs(root);
  return {
    client,
    root,
    async cleanup() {
      const admin = new HdfsClient({
        namenodeUrl: hdfs.namenodeUrl,
        user: hdfs.user,
        lakeRoot: '/lake-test',
      });
      try {
        await admin.delete(root, { recursive: true });
      } finally {
        admin.close();
        client.close();
      }
    },
  };
}

/** Runs Hadoop's own `hdfs dfsadmin` (the DFSAdmin class) against the stack; returns stdout. */
export function dfsadmin(...args: string[]): string {
  const config = stackConfig();
  const layout = stackLayout(config, join(repoRoot(), 'stack'));
  const cp = `${layout.data.hadoopConf}:${layout.lib.hdfs}/resources:${layout.lib.hdfs}/*`;
  const r = spawnSync(findJava().bin, ['-cp', cp, 'org.apache.hadoop.hdfs.tools.DFSAdmin', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`dfsadmin ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC32C_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * HDFS's default file checksum computed locally: CRC32C per 512 bytes, MD5 of each block's
 * CRCs, MD5 of the block MD5s. Returns what GETFILECHECKSUM should answer.
 */
export function hdfsChecksum(
  bytes: Uint8Array,
  blockSize: number,
  bytesPerCrc = 512,
): { algorithm: string; md5: string } {
  const blockMd5s: Buffer[] = [];
  for (let b = 0; b < bytes.length; b += blockSize) {
    const blockEnd = Math.min(bytes.length, b + blockSize);
    const crcs = Buffer.alloc(Math.ceil((blockEnd - b) / bytesPerCrc) * 4);
    for (let i = b, j = 0; i < blockEnd; i += bytesPerCrc, j += 4) {
      crcs.writeUInt32BE(crc32c(bytes, i, Math.min(blockEnd, i + bytesPerCrc)), j);
    }
    blockMd5s.push(createHash('md5').update(crcs).digest());
  }
  const crcPerBlock = blockMd5s.length > 1 ? blockSize / bytesPerCrc : 0;
  // HDFS hashes the whole backing array of its growable DataOutputBuffer (32 bytes, doubling),
  // so the block MD5s are followed by zero padding up to that capacity.
  let capacity = 32;
  while (capacity < blockMd5s.length * 16) capacity *= 2;
  const padded = Buffer.alloc(capacity);
  Buffer.concat(blockMd5s).copy(padded);
  return {
    algorithm: `MD5-of-${crcPerBlock}MD5-of-${bytesPerCrc}CRC32C`,
    md5: createHash('md5').update(padded).digest('hex'),
  };
}
