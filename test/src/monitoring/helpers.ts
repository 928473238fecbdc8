import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeParquet } from '@lakestream/columnar';
import { jobKey, TOPICS, type TrainingJob } from '@lakestream/contracts';
import { generatePartition } from '@lakestream/dataset';
import type { ChallengeReport, ModelRegistry } from '@lakestream/models';
import type { BatchDrift } from '@lakestream/prediction';
import { partitionToArrow, publishFiles, publishSynthetic } from '@lakestream/publish';
import { runPython, tempDir } from '@lakestream/testkit';
import { JobStore } from '@lakestream/training';
import { eventually, type lake } from '../etl/pipeline';

type Clients = ReturnType<typeof lake>;

export const PARTITIONS = 4;
const REFERENCE_DATE = '2026-06-01';

/** A batch of the `described` profile, ids from `firstId` on (each batch its own ids). */
export async function publishBatch(
  clients: Clients,
  o: { dataset: string; batch: string; rows: number; seed: number; firstId: number },
): Promise<void> {
  await publishSynthetic(
    { hdfs: clients.hdfs, producer: await clients.producer(), paths: clients.paths },
    { ...o, partitions: PARTITIONS, referenceDate: REFERENCE_DATE, workers: 1 },
  );
}

/**
 * The same generator's rows with every age moved by `ageShift` and salaries multiplied by
 * `salaryScale` (the salary keeps the curve of the original age): a concept and covariate
 * shift, published from a local Parquet file as `lake publish` would.
 */
export async function publishShifted(
  clients: Clients,
  o: {
    dataset: string;
    batch: string;
    rows: number;
    seed: number;
    firstId: number;
    ageShift?: number;
    salaryScale?: number;
  },
): Promise<void> {
  const columns = generatePartition({
    rows: o.rows,
    partitions: 1,
    partition: 0,
    seed: o.seed,
    firstId: o.firstId,
    referenceDate: REFERENCE_DATE,
  });
  for (let i = 0; i < columns.count; i++) {
    columns.age[i]! += o.ageShift ?? 0;
    columns.salary[i] = Math.round(columns.salary[i]! * (o.salaryScale ?? 1) * 100) / 100;
  }
  const file = join(tempDir(), `${o.batch}.parquet`);
  writeFileSync(file, writeParquet(partitionToArrow(columns), { compression: 'snappy' }));
  await publishFiles(
    { hdfs: clients.hdfs, producer: await clients.producer(), paths: clients.paths },
    { dataset: o.dataset, batch: o.batch, files: [file], partitions: PARTITIONS },
  );
}

export const cleaned = (clients: Clients, dataset: string, batch: string) =>
  eventually(`clean ${dataset}/${batch}`, 120_000, async () =>
    (await clients.hdfs.exists(`${clients.paths.cleanBatch(dataset, batch)}/_SUCCESS`)) ? true : undefined,
  );

/** A one-candidate grid with 2 folds: the production model's search, and so every retrain's. */
export const SMALL_SPACE = JSON.stringify({ n_estimators: [20], max_depth: [8] });

/** Trains the first version through the trainer service (lake.training.jobs) and waits for it. */
export async function trainFirstVersion(
  clients: Clients,
  o: { dataset: string; model: string; batches: string[] },
): Promise<number> {
  const job: TrainingJob = {
    job: `${o.model}-base`,
    dataset: o.dataset,
    batches: o.batches,
    features: ['age'],
    target: 'salary',
    search: 'grid',
    space: SMALL_SPACE,
    cvFolds: 2,
    testFraction: 0.2,
    seed: 7,
    maxTrials: null,
    scoring: 'mse',
    model: o.model,
    requestedAt: Date.now(),
    requestedBy: 'monitoring test',
  };
  await (await clients.producer()).send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
  return jobVersion(clients, job.job);
}

/** The version a training job published (waits for its outcome). */
export async function jobVersion(clients: Clients, job: string): Promise<number> {
  const store = new JobStore(clients.hdfs, clients.paths);
  const outcome = await eventually(`training job ${job}`, 180_000, () => store.outcome(job));
  if (outcome.status !== 'published' || outcome.version === null)
    throw new Error(`training job ${job} ${outcome.status}: ${outcome.error}`);
  return outcome.version;
}

/** drift.json of a batch's predictions, once _SUCCESS (written after it) is there. */
export async function batchDrift(
  clients: Clients,
  o: { dataset: string; batch: string; model: string; version: number },
): Promise<BatchDrift> {
  const dir = clients.paths.predictions(o.dataset, o.model, o.version, o.batch);
  await eventually(`predictions of ${o.dataset}/${o.batch} by v${o.version}`, 120_000, async () =>
    (await clients.hdfs.exists(`${dir}/_SUCCESS`)) ? true : undefined,
  );
  const drift = await clients.readJson<BatchDrift>(`${dir}/drift.json`);
  if (!drift) throw new Error(`${dir} has _SUCCESS but no drift.json`);
  return drift;
}

export async function challengeReport(
  registry: ModelRegistry,
  model: string,
  candidate: number,
): Promise<ChallengeReport> {
  return eventually(`the challenge of ${model} v${candidate}`, 120_000, async () => {
    const reports = await registry.challenges(model, candidate);
    return reports[0];
  });
}

/**
 * NumPy on the clean files: per-bin counts of a column over the same edges, then PSI (shares
 * floored at 1e-4, bins empty on both sides skipped) and the largest CDF gap. Independent of
 * the ETL's histograms and of libs/drift.
 */
export function referenceDrift(
  reference: string[],
  current: string[],
  column: string,
  edges: number[],
): { psi: number; ks: number } {
  return JSON.parse(
    runPython(
      `
import json, sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
ref, cur, column, edges = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], np.array(json.loads(sys.argv[4]))
def counts(files):
    v = pa.concat_tables([pq.read_table(f, columns=[column]) for f in files]).column(column).drop_null().to_numpy().astype(float)
    inner = np.clip(np.searchsorted(edges[1:-1], v, side='right'), 0, len(edges) - 2)
    return np.bincount(inner, minlength=len(edges) - 1).astype(float)
r, c = counts(ref), counts(cur)
both = (r > 0) | (c > 0)
rs, cs = np.maximum(r / r.sum(), 1e-4), np.maximum(c / c.sum(), 1e-4)
psi = float(((cs - rs) * np.log(cs / rs))[both].sum())
ks = float(np.abs(np.cumsum(r) / r.sum() - np.cumsum(c) / c.sum()).max())
print(json.dumps(dict(psi=psi, ks=ks)))
`,
      [JSON.stringify(reference), JSON.stringify(current), column, JSON.stringify(edges)],
    ),
  ) as { psi: number; ks: number };
}

export interface PairedReference {
  n: number;
  labelled: number;
  mseProduction: number;
  mseCandidate: number;
  mean: number;
  lower: number;
  z: number;
  p: number;
  tTestP: number;
}

/**
 * SciPy on the files: the clean rows' salary joined by id with both versions' predictions,
 * restricted to the candidate's test split (its hash of the id re-implemented here), then the
 * paired difference, its one-sided normal bound at `confidence`, and scipy's paired t-test.
 */
export function referencePaired(
  clean: string[],
  production: string[],
  candidate: string[],
  split: { testFraction: number; seed: number } | null,
  confidence: number,
): PairedReference {
  return JSON.parse(
    runPython(
      `
import json, sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from scipy import stats
clean, prod, cand, split, conf = (json.loads(a) for a in sys.argv[1:6])
read = lambda files, cols: pa.concat_tables([pq.read_table(f, columns=cols) for f in files]).to_pandas()
t = read(clean, ['id', 'salary']).merge(read(prod, ['id', 'prediction']).rename(columns={'prediction': 'p'}), on='id')
t = t.merge(read(cand, ['id', 'prediction']).rename(columns={'prediction': 'c'}), on='id').dropna()
labelled = len(t)
M = np.uint64(0xFFFFFFFF)
def mix(h):
    h ^= h >> np.uint64(16); h = (h * np.uint64(0x85EBCA6B)) & M
    h ^= h >> np.uint64(13); h = (h * np.uint64(0xC2B2AE35)) & M
    return h ^ (h >> np.uint64(16))
if split is not None:
    ids = t['id'].to_numpy().astype(np.uint64)
    h = np.full(len(ids), (split['seed'] ^ 0x9E3779B9) & 0xFFFFFFFF, dtype=np.uint64)
    h = mix(h ^ (ids & M)); h = mix(h ^ ((ids >> np.uint64(32)) & M))
    t = t[h.astype(float) / 2**32 < split['testFraction']]
ep, ec = (t.p - t.salary).to_numpy(), (t.c - t.salary).to_numpy()
d = ep ** 2 - ec ** 2
se = d.std(ddof=1) / np.sqrt(len(d))
print(json.dumps(dict(n=len(d), labelled=labelled, mseProduction=float((ep ** 2).mean()), mseCandidate=float((ec ** 2).mean()),
  mean=float(d.mean()), lower=float(d.mean() - stats.norm.ppf(conf) * se), z=float(d.mean() / se), p=float(stats.norm.sf(d.mean() / se)),
  tTestP=float(stats.ttest_rel(ep ** 2, ec ** 2, alternative='greater').pvalue))))
`,
      [
        JSON.stringify(clean),
        JSON.stringify(production),
        JSON.stringify(candidate),
        JSON.stringify(split),
        JSON.stringify(confidence),
      ],
    ),
  ) as PairedReference;
}
