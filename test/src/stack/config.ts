import { type LakeConfig, loadConfig } from '@lakestream/config';
import { repoRoot } from '@lakestream/testkit';

/** The configuration of the stack that `npm test` brought up (or found running). */
export const stackConfig = (): LakeConfig => loadConfig({ home: process.env.LAKE_HOME ?? repoRoot() });
