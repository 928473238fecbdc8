import { join } from 'node:path';
import { type LakeConfig, type LakeConfigOverrides, loadConfig } from '@lakestream/config';

/**
 * The lakestream installation this CLI belongs to: its stack cache, data and config file
 * live there, whatever folder the command is typed in. LAKE_HOME moves them.
 */
export const lakeHome = (): string => process.env.LAKE_HOME ?? join(__dirname, '..', '..');

export function cliConfig(options: { config?: string }, overrides?: LakeConfigOverrides): LakeConfig {
  return loadConfig({ home: lakeHome(), file: options.config, overrides });
}
