import type { LakePaths } from '@lakestream/core';
import type { TrialResult } from '@lakestream/contracts';
import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import type { JobPlan, RungPlan } from './plan';

/** What the job's folder says once it ended: the version published, or why it failed. */
export interface JobOutcome {
  job: string;
  status: 'published' | 'failed';
  model: string;
  version: number | null;
  error: string | null;
  finishedAt: number;
}

export interface StoredPlan extends JobPlan {
  /** The job message this plan came from (`partition:offset`): its redelivery re-sends the trials. */
  source: string;
  createdAt: number;
}

/**
 * A job's state in HDFS, so any coordinator can resume it: `_jobs/<job>/plan.json`,
 * `rungs/r<k>.json`, one `results/r<k>-<trial>-f<fold>.json` per result (created exclusively:
 * a duplicate is ignored), `_CLOSER-r<k>` (the result message that closes the rung) and
 * `outcome.json`.
 */
export class JobStore {
  constructor(
    private readonly hdfs: HdfsClient,
    private readonly paths: LakePaths,
  ) {}

  dir(job: string): string {
    return `${this.paths.root}/models/_jobs/${job}`;
  }

  /** Stores the plan unless one is there; returns the stored one. */
  async savePlan(plan: StoredPlan): Promise<StoredPlan> {
    const path = `${this.dir(plan.job.job)}/plan.json`;
    try {
      await this.hdfs.createExclusive(path, JSON.stringify(plan));
      return plan;
    } catch (error) {
      if (!(error instanceof HdfsAlreadyExistsError)) throw error;
      return (await this.plan(plan.job.job))!;
    }
  }

  plan(job: string): Promise<StoredPlan | undefined> {
    return this.readJson<StoredPlan>(`${this.dir(job)}/plan.json`);
  }

  async saveRung(job: string, rung: RungPlan): Promise<void> {
    await this.createIfAbsent(`${this.dir(job)}/rungs/r${rung.index}.json`, JSON.stringify(rung));
  }

  rung(job: string, index: number): Promise<RungPlan | undefined> {
    return this.readJson<RungPlan>(`${this.dir(job)}/rungs/r${index}.json`);
  }

  /** Records a result; false when one for the same rung, trial and fold was already there. */
  async addResult(r: TrialResult): Promise<boolean> {
    return this.createIfAbsent(
      `${this.dir(r.job)}/results/r${r.rung}-${r.trial}-f${r.fold}.json`,
      JSON.stringify(r),
    );
  }

  /** How many results a rung (or the whole job) has: one listing, no file is read. */
  async countResults(job: string, rung?: number): Promise<number> {
    const prefix = rung === undefined ? 'r' : `r${rung}-`;
    return (await this.resultFiles(job)).filter((e) => e.name.startsWith(prefix)).length;
  }

  /** Every recorded result of the job (all rungs). */
  async results(job: string): Promise<TrialResult[]> {
    const dir = `${this.dir(job)}/results`;
    const entries = await this.resultFiles(job);
    const out: TrialResult[] = [];
    for (let i = 0; i < entries.length; i += 16) {
      const chunk = await Promise.all(
        entries.slice(i, i + 16).map((e) => this.readJson<TrialResult>(`${dir}/${e.name}`)),
      );
      for (const r of chunk) if (r) out.push(r);
    }
    return out;
  }

  private async resultFiles(job: string): Promise<{ name: string }[]> {
    try {
      return await this.hdfs.list(`${this.dir(job)}/results`);
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return [];
      throw error;
    }
  }

  /**
   * Claims the closing of a rung for one message: true for the first claimant and for a
   * redelivery of that same message (it resumes what its first delivery began).
   */
  async claimClose(job: string, rung: number, source: string): Promise<boolean> {
    const path = `${this.dir(job)}/_CLOSER-r${rung}`;
    if (await this.createIfAbsent(path, JSON.stringify({ source }))) return true;
    const closer = await this.readJson<{ source: string }>(path);
    return closer?.source === source;
  }

  /** Writes the outcome once (atomically: readers never see it half-written); a redo keeps the first. */
  async saveOutcome(outcome: JobOutcome): Promise<void> {
    await this.createIfAbsent(`${this.dir(outcome.job)}/outcome.json`, JSON.stringify(outcome));
  }

  outcome(job: string): Promise<JobOutcome | undefined> {
    return this.readJson<JobOutcome>(`${this.dir(job)}/outcome.json`);
  }

  private async createIfAbsent(path: string, data: string): Promise<boolean> {
    try {
      await this.hdfs.createExclusive(path, data);
      return true;
    } catch (error) {
      if (error instanceof HdfsAlreadyExistsError) return false;
      throw error;
    }
  }

  private async readJson<T>(path: string): Promise<T | undefined> {
    try {
      return JSON.parse(
        Buffer.from(await this.hdfs.readFile(path, { maxBytes: 64 << 20 })).toString('utf8'),
      ) as T;
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return undefined;
      throw error;
    }
  }
}
