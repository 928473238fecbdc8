import { readFileSync } from 'node:fs';
import type { LakeConfig } from '@lakestream/config';

/** The services that have an HTTP port in the configuration. */
export type ServiceName = keyof LakeConfig['http']['ports'];

export interface ServiceIdentity {
  name: ServiceName;
  version: string;
}

/** The `version` field of a package.json (a service passes its own). */
export function packageVersion(packageJsonPath: string): string {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
