/** When the monitor starts a training job (config `retrain`). */
export type RetrainPolicyName = 'off' | 'on-drift' | 'every';

export interface RetrainPolicy {
  policy: RetrainPolicyName;
  /** With `every`: a job after every this many monitored batches. */
  everyBatches: number;
  /** The newest labelled monitored batches a job trains on, the deciding batch last. */
  window: number;
}

/** What the monitor knows about a completed batch when it decides. */
export interface BatchFacts {
  /** 1, 2, … in the order the monitor saw the model's batches complete. */
  seq: number;
  /** drift.json's verdict. */
  alert: boolean;
  reasons: string[];
  /** A retrain job this monitor started that has no outcome yet, if any. */
  running: string | null;
}

export interface RetrainDecision {
  retrain: boolean;
  reason: string;
}

/** The policy's answer for one batch. Pure: the same facts give the same decision on a redelivery. */
export function decideRetrain(p: RetrainPolicy, f: BatchFacts): RetrainDecision {
  if (p.policy === 'off') return { retrain: false, reason: 'retrain policy off' };
  const due =
    p.policy === 'on-drift'
      ? f.alert
        ? { retrain: true, reason: `drift: ${f.reasons.join('; ')}` }
        : { retrain: false, reason: 'no drift' }
      : f.seq % p.everyBatches === 0
        ? { retrain: true, reason: `batch ${f.seq} of the model: every ${p.everyBatches} batches` }
        : {
            retrain: false,
            reason: `${p.everyBatches - (f.seq % p.everyBatches)} batch(es) until the next scheduled retrain`,
          };
  // One job at a time: a second on the same drift would only race the first.
  if (due.retrain && f.running)
    return { retrain: false, reason: `${due.reason}; but retrain job ${f.running} is still running` };
  return due;
}

export interface LedgerEntry {
  seq: number;
  batch: string;
  labelled: boolean;
}

/**
 * The batches a retrain decided at `seq` trains on: the newest `window` labelled entries up to
 * and including `seq`, oldest first.
 */
export function retrainWindow(entries: readonly LedgerEntry[], seq: number, window: number): string[] {
  return [...entries]
    .filter((e) => e.seq <= seq && e.labelled)
    .sort((a, b) => a.seq - b.seq)
    .slice(-window)
    .map((e) => e.batch);
}
