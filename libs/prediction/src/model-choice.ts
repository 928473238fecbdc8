import type { LakePaths } from '@lakestream/core';
import { type HdfsClient, createIfAbsent, readJsonFile } from '@lakestream/hdfs';
import { ModelNotFoundError, PRODUCTION, type ModelRegistry } from '@lakestream/models';

export interface ModelChoice {
  name: string;
  version: number;
  chosenAt: number;
}

/**
 * The model version that scores a batch in the continuous path. The batch's first partition
 * pins whatever holds `alias` at that moment (an exclusive create: every worker agrees), so a
 * promotion mid-batch applies from the next batch and no batch is split across versions.
 * Undefined when no version holds the alias yet.
 */
export async function modelForBatch(
  hdfs: HdfsClient,
  paths: LakePaths,
  registry: ModelRegistry,
  target: { dataset: string; batch: string; model: string; alias?: string },
): Promise<ModelChoice | undefined> {
  const path = paths.predictionAssignment(target.dataset, target.batch);
  const pinned = await readJsonFile<ModelChoice>(hdfs, path);
  if (pinned) return pinned;
  let resolved: { name: string; version: number };
  try {
    resolved = await registry.resolve({ name: target.model, alias: target.alias ?? PRODUCTION });
  } catch (error) {
    if (error instanceof ModelNotFoundError) return undefined;
    throw error;
  }
  const choice: ModelChoice = { ...resolved, chosenAt: Date.now() };
  if (await createIfAbsent(hdfs, path, JSON.stringify(choice))) return choice;
  return readJsonFile<ModelChoice>(hdfs, path);
}
