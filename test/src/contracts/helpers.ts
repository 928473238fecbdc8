import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createRegistryCodec,
  type RecordName,
  type RegistryCodec,
  type RegistryCodecOptions,
} from '@lakestream/contracts';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { stackConfig } from '../stack/config';

export const registryUrl = (): string => stackConfig().registry.url;

/** A codec on the stack's registry with `topics` bound to records. */
export function codecFor(
  topics: Record<string, RecordName>,
  options: Partial<RegistryCodecOptions> = {},
): RegistryCodec {
  return createRegistryCodec({
    url: registryUrl(),
    topics,
    retry: { retries: 2, initialDelayMs: 50 },
    ...options,
  });
}

interface FieldJson {
  name: string;
  type: unknown;
  doc?: string;
  default?: unknown;
}

const evolved: string[] = [];

/** Removes the folders evolvedSchemas made. */
export function removeEvolvedSchemas(): void {
  for (const dir of evolved.splice(0)) rmSync(dirname(dir), { recursive: true, force: true });
}

/**
 * A copy of schemas/ where `record` is changed by `change` (a would-be next version), for
 * codecs created with `schemasDir`.
 */
export function evolvedSchemas(record: RecordName, change: (fields: FieldJson[]) => FieldJson[]): string {
  const dir = join(tempDir('contracts-evolved-'), 'schemas');
  cpSync(join(repoRoot(), 'schemas'), dir, { recursive: true });
  const file = join(dir, `${record}.avsc`);
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  schema.fields = change(schema.fields);
  writeFileSync(file, JSON.stringify(schema, null, 2));
  evolved.push(dir);
  return dir;
}
