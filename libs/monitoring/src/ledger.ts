import type { TrainingJob } from '@lakestream/contracts';
import { assertName, type LakePaths } from '@lakestream/core';
import { type HdfsClient, createIfAbsent, listNames, readJsonFile } from '@lakestream/hdfs';
import type { LedgerEntry, RetrainPolicy } from './policy';

/** `batch=<b>.json` in the ledger: what the monitor decided for one completed batch, once. */
export interface BatchDecisionRecord {
  dataset: string;
  batch: string;
  model: string;
  /** The version pinned for the batch (the production version that scored it). */
  version: number;
  seq: number;
  alert: boolean;
  reasons: string[];
  labelled: boolean;
  /** drift.json the decision read. */
  drift: string;
  policy: RetrainPolicy;
  retrain: boolean;
  reason: string;
  /** The training job sent (again on a redelivery, with the same id), null without a retrain. */
  job: TrainingJob | null;
  decidedBy: string;
  decidedAt: number;
}

interface SeqMarker {
  batch: string;
  version: number;
  labelled: boolean;
  at: number;
}

const pad = (n: number) => String(n).padStart(9, '0');
const seqOf = (name: string) => Number(/^(\d+)\.json$/.exec(name)?.[1] ?? Number.NaN);

/** Markers read back when looking for one's own claim after a crash (claims are recent). */
const RECENT_MARKERS = 32;

/**
 * The monitor's state for one model in one dataset, in HDFS under
 * `/lake/<ds>/monitoring/model=<m>/`: `_seq/<k>.json` (the k-th completed batch, claimed with
 * an exclusive create, so concurrent monitors agree on the order), `batch=<b>.json` (the
 * decision, created once) and `_retrains/<k>.json` (a job the k-th batch started).
 */
export class MonitorLedger {
  readonly dir: string;

  constructor(
    private readonly hdfs: HdfsClient,
    paths: LakePaths,
    readonly dataset: string,
    readonly model: string,
  ) {
    this.dir = paths.monitoring(dataset, model);
  }

  decisionPath(batch: string): string {
    return `${this.dir}/batch=${assertName('batch', batch)}.json`;
  }

  decision(batch: string): Promise<BatchDecisionRecord | undefined> {
    return readJsonFile<BatchDecisionRecord>(this.hdfs, this.decisionPath(batch));
  }

  /** The decision as stored: `record` when this call created it, else the one already there. */
  async saveDecision(record: BatchDecisionRecord): Promise<BatchDecisionRecord> {
    await createIfAbsent(this.hdfs, this.decisionPath(record.batch), JSON.stringify(record, null, 2));
    return (await this.decision(record.batch)) ?? record;
  }

  /** The batch's place in the order of completion: its own earlier claim, else the next free number. */
  async claim(marker: SeqMarker): Promise<number> {
    for (;;) {
      const seqs = await this.seqs();
      for (const k of seqs.slice(-RECENT_MARKERS).reverse()) {
        const m = await readJsonFile<SeqMarker>(this.hdfs, `${this.dir}/_seq/${pad(k)}.json`);
        if (m?.batch === marker.batch) return k;
      }
      const next = (seqs[seqs.length - 1] ?? 0) + 1;
      if (await createIfAbsent(this.hdfs, `${this.dir}/_seq/${pad(next)}.json`, JSON.stringify(marker)))
        return next;
    }
  }

  /** Entries up to `seq`, newest first, read until `labelled` of them are labelled. */
  async recent(seq: number, labelled: number): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    let found = 0;
    for (const k of (await this.seqs()).filter((s) => s <= seq).reverse()) {
      const m = await readJsonFile<SeqMarker>(this.hdfs, `${this.dir}/_seq/${pad(k)}.json`);
      if (!m || out.some((e) => e.batch === m.batch)) continue;
      out.push({ seq: k, batch: m.batch, labelled: m.labelled });
      if (m.labelled && ++found >= labelled) break;
    }
    return out;
  }

  /** Marks that the `seq`-th batch started `job` (after its decision, which holds the job). */
  async markRetrain(seq: number, job: string, batch: string): Promise<void> {
    await createIfAbsent(
      this.hdfs,
      `${this.dir}/_retrains/${pad(seq)}.json`,
      JSON.stringify({ seq, job, batch }),
    );
  }

  /** The newest retrain started before the `seq`-th batch. */
  async lastRetrainBefore(seq: number): Promise<{ seq: number; job: string; batch: string } | undefined> {
    const names = await listNames(this.hdfs, `${this.dir}/_retrains`);
    const before = names
      .map(seqOf)
      .filter((k) => k < seq)
      .sort((a, b) => a - b);
    const k = before[before.length - 1];
    return k === undefined ? undefined : readJsonFile(this.hdfs, `${this.dir}/_retrains/${pad(k)}.json`);
  }

  private async seqs(): Promise<number[]> {
    return (await listNames(this.hdfs, `${this.dir}/_seq`))
      .map(seqOf)
      .filter((k) => Number.isInteger(k))
      .sort((a, b) => a - b);
  }
}
