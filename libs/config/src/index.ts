export type { LakeConfig, LakeConfigOverrides } from './schema';
export { defaultConfig } from './defaults';
export { ENVIRONMENT, overridesFromEnv } from './env';
export { loadConfig } from './load';
export type { LoadConfigOptions } from './load';
export { validateConfig, bindsBeyondLoopback } from './validate';
