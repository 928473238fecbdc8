import { trialKey } from '@lakestream/contracts';

/** Kafka's default partitioner (murmur2 of the UTF-8 key, Java-compatible, as kafkajs's DefaultPartitioner). */
export function keyPartition(key: string, partitions: number): number {
  const data = Buffer.from(key, 'utf8');
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) | 0;
  const n4 = data.length & ~3;
  for (let i = 0; i < n4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length & 3;
  if (rest === 3) h ^= data[n4 + 2]! << 16;
  if (rest >= 2) h ^= data[n4 + 1]! << 8;
  if (rest >= 1) {
    h ^= data[n4]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return (h & 0x7fffffff) % partitions;
}

/**
 * Keys of a rung's TrialSpecs (job/trial/f<fold>, with a ~n suffix when needed) chosen so that
 * spec i lands on partition i mod `partitions`: the trial consumers own partitions round-robin,
 * so a rung's folds spread over every worker instead of following the hash of a few keys (a
 * 3-fold last rung keyed by trial alone put all three folds on one worker).
 */
export function spreadTrialKeys(
  specs: readonly { job: string; trial: string; fold: number }[],
  partitions: number,
): string[] {
  return specs.map((spec, i) => {
    const base = `${trialKey(spec.job, spec.trial)}/f${spec.fold}`;
    if (!(partitions > 1)) return base;
    const target = i % partitions;
    for (let salt = 0; salt < 10_000; salt++) {
      const key = salt === 0 ? base : `${base}~${salt}`;
      if (keyPartition(key, partitions) === target) return key;
    }
    return base;
  });
}
