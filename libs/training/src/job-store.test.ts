import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrialResult } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import { JobStore } from './job-store';

/** The few HdfsClient calls JobStore makes, over a Map (create-exclusive semantics included). */
function memoryHdfs(): HdfsClient {
  const files = new Map<string, Uint8Array>();
  const bytes = (d: Uint8Array | string) => (typeof d === 'string' ? Buffer.from(d) : d);
  const fake = {
    async createExclusive(path: string, data: Uint8Array | string) {
      if (files.has(path)) throw new HdfsAlreadyExistsError(`${path} exists`, path);
      files.set(path, bytes(data));
      return { path, bytes: bytes(data).length };
    },
    async readFile(path: string) {
      const f = files.get(path);
      if (!f) throw new HdfsNotFoundError(`${path} not found`, path);
      return f;
    },
    async list(dir: string) {
      const names = [...files.keys()]
        .filter((p) => p.startsWith(`${dir}/`))
        .map((p) => p.slice(dir.length + 1));
      if (names.length === 0) throw new HdfsNotFoundError(`${dir} not found`, dir);
      return names.map((name) => ({ name, path: `${dir}/${name}` }));
    },
  };
  return fake as unknown as HdfsClient;
}

const result = (trial: string, fold: number, worker: string): TrialResult => ({
  job: 'j1',
  trial,
  fold,
  rung: 0,
  status: 'ok',
  score: 1,
  trainMs: 1,
  rows: 1,
  worker,
  error: null,
  finishedAt: 0,
});

describe('JobStore', () => {
  it('keeps the first result of a trial and fold and ignores a duplicate', async () => {
    const store = new JobStore(memoryHdfs(), new LakePaths('/lake'));
    assert.equal(await store.addResult(result('p000', 0, 'a')), true);
    assert.equal(await store.addResult(result('p000', 0, 'b')), false);
    assert.equal(await store.addResult(result('p000', 1, 'b')), true);
    assert.equal(await store.countResults('j1', 0), 2);
    assert.equal(await store.countResults('j1', 1), 0);
    assert.deepEqual((await store.results('j1')).map((r) => [r.fold, r.worker]).sort(), [
      [0, 'a'],
      [1, 'b'],
    ]);
  });

  it('lets one message close a rung, and that same message again after a crash', async () => {
    const store = new JobStore(memoryHdfs(), new LakePaths('/lake'));
    assert.equal(await store.claimClose('j1', 0, 'lake.training.results:3:17'), true);
    assert.equal(await store.claimClose('j1', 0, 'lake.training.results:1:9'), false, 'a duplicate');
    assert.equal(await store.claimClose('j1', 0, 'lake.training.results:3:17'), true, 'a redelivery');
    assert.equal(await store.claimClose('j1', 1, 'lake.training.results:1:9'), true, 'the next rung');
  });

  it('writes the outcome once', async () => {
    const store = new JobStore(memoryHdfs(), new LakePaths('/lake'));
    const outcome = {
      job: 'j1',
      status: 'published' as const,
      model: 'm',
      version: 1,
      error: null,
      finishedAt: 1,
    };
    await store.saveOutcome(outcome);
    await store.saveOutcome({ ...outcome, version: 2 });
    assert.equal((await store.outcome('j1'))?.version, 1);
  });
});
