import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '@lakestream/core';
import { defaultConfig, withStackEndpoints } from './defaults';
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
  const file = options.file ?? env.LAKE_CONFIG ?? join(home, 'lake.config.json');
  const layers: LakeConfigOverrides[] = [];
  if (options.file || env.LAKE_CONFIG || existsSync(file)) layers.push(readConfigFile(file));
  layers.push(overridesFromEnv(env));
  if (options.overrides) layers.push(options.overrides);
  // Endpoints left unset follow the (possibly moved) local stack's ports.
  let config = defaultConfig(home);
  config = {
    ...config,
    kafka: { ...config.kafka, brokers: [] },
    hdfs: { ...config.hdfs, namenodeUrl: '' },
    registry: { url: '' },
  };
  for (const layer of layers) config = merge(config, layer);
  return validateConfig(withStackEndpoints(config));
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
