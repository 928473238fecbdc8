import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's schemas/ folder, found upwards from this file (tests only). */
export function schemasDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'schemas', 'ChunkDescriptor.avsc'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no schemas/ folder above ${__dirname}`);
    dir = up;
  }
  return join(dir, 'schemas');
}
