import type { LakePaths } from '@lakestream/core';
import { describedProfile } from '@lakestream/dataset';
import { type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';

/**
 * Var(target | features) when every batch came from the `described` generator and the model
 * predicts salary from age (± is_active); null otherwise (unknown).
 */
export async function knownNoiseVariance(
  hdfs: HdfsClient,
  paths: LakePaths,
  dataset: string,
  batches: string[],
  features: string[],
  target: string,
): Promise<number | null> {
  if (target !== 'salary') return null;
  for (const batch of batches) {
    let manifest: { source?: { kind?: string; profile?: string | null } };
    try {
      manifest = JSON.parse(
        Buffer.from(await hdfs.readFile(paths.manifest(dataset, batch), { maxBytes: 16 << 20 })).toString(
          'utf8',
        ),
      );
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return null;
      throw error;
    }
    if (manifest.source?.kind !== 'synthetic' || (manifest.source.profile ?? 'described') !== 'described')
      return null;
  }
  const f = [...features].sort().join(',');
  if (f === 'age') return describedProfile.ageOnlyVariance;
  if (f === 'age,is_active') return describedProfile.noiseVariance;
  return null;
}
