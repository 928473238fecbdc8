import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '@lakestream/core';
import { defaultConfig } from './defaults';
import { overridesFromEnv } from './env';
import type { LakeConfig, LakeConfigOverrides } from './schema';
import { validateConfig } from './validate';

export interface LoadConfigOptions {
  /** Folder that holds `.cache` and `.lake` by default, and `lake.config.json` if present. */
  home?: string;
  /** Explicit config file; defaults to $LAKE_CONFIG, then <home>/lake.config.json when it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Highest precedence: command-line flags. */
  overrides?: LakeConfigOverrides;
}

/** defaults ← file ← environment ← flags, then validated. */
export function loadConfig(options: LoadConfigOptions = {}): LakeConfig {
  const env = options.env ?? process.env;
  const home = options.home ?? env.LAKE_HOME ?? process.cwd();
  let config = defaultConfig(home);
  const file = options.file ?? env.LAKE_CONFIG ?? join(home, 'lake.config.json');
  if (options.file || env.LAKE_CONFIG || existsSync(file)) config = merge(config, readConfigFile(file));
  config = merge(config, overridesFromEnv(env));
  if (options.overrides) config = merge(config, options.overrides);
  return validateConfig(config);
}

function readConfigFile(file: string): LakeConfigOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read config file ${file}: ${(error as Error).message}`, 'config');
  }
  try {
    return JSON.parse(text) as LakeConfigOverrides;
  } catch (error) {
    throw new InvalidInputError(
      `config file ${file} is not valid JSON: ${(error as Error).message}`,
      'config',
    );
  }
}

function merge<T>(base: T, over: unknown): T {
  if (over === undefined || over === null) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    out[k] = k in out ? merge(out[k], v) : v;
  }
  return out as T;
}
