import { createHash } from 'node:crypto';
import { float64Column, MemorySource, ParquetReader } from '@lakestream/columnar';
import type { LakePaths } from '@lakestream/core';
import { type HdfsClient, createIfAbsent, listNames, readJsonFile } from '@lakestream/hdfs';
import {
  CANDIDATE,
  type ChallengeReport,
  type LoadedModel,
  type ModelRegistry,
  type ModelVersionMetadata,
  PRODUCTION,
} from '@lakestream/models';
import { cleanDescriptors, scoreTable } from '@lakestream/prediction';
import { isTestRow } from '@lakestream/tuning';
import { ChallengeInputError } from './errors';
import { addPairedErrors, emptyPairedErrors, mergePairedErrors, type PairedErrors } from './paired-errors';
import { judgePromotion, PROMOTION_RULE, type PromotionCriterion } from './promotion';

export interface ChallengeOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  registry: ModelRegistry;
  criterion: PromotionCriterion;
  /** Who promotes (kept in the promotion record). */
  worker: string;
}

interface ReportFacts {
  createdAt?: number;
  columnStats?: { column: string; count: number }[];
}

/**
 * The newest complete clean batch of `dataset` with values of `target` (by its ETL report's
 * time, ties by name); undefined when there is none.
 */
export async function latestLabelledBatch(
  hdfs: HdfsClient,
  paths: LakePaths,
  dataset: string,
  target: string,
): Promise<string | undefined> {
  let best: { batch: string; at: number } | undefined;
  for (const name of await listNames(hdfs, `${paths.dataset(dataset)}/clean`)) {
    const batch = /^batch=(.+)$/.exec(name)?.[1];
    if (!batch || !(await hdfs.exists(`${paths.cleanBatch(dataset, batch)}/_SUCCESS`))) continue;
    const report = await readJsonFile<ReportFacts>(hdfs, `${paths.reports(dataset, batch)}/etl_report.json`);
    const labelled = report?.columnStats?.some((c) => c.column === target && c.count > 0) ?? false;
    const at = report?.createdAt ?? 0;
    if (labelled && (!best || at > best.at || (at === best.at && batch > best.batch))) best = { batch, at };
  }
  return best?.batch;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Models trained on the batch are judged on rows outside their training split only. */
function heldOutBy(models: ModelVersionMetadata[], dataset: string, batch: string): ModelVersionMetadata[] {
  return models.filter((m) => m.dataset === dataset && m.lineage.batches.includes(batch));
}

/**
 * Both models' errors on the same rows of a clean batch, one partition at a time (file checked
 * against its descriptor): labelled rows that both can predict and that neither was trained on.
 */
export async function pairedErrorsOnBatch(
  o: Pick<ChallengeOptions, 'hdfs' | 'paths'>,
  production: LoadedModel,
  candidate: LoadedModel,
  dataset: string,
  batch: string,
): Promise<{ errors: PairedErrors; labelled: number; selection: string }> {
  const target = candidate.metadata.target;
  if (production.metadata.target !== target)
    throw new ChallengeInputError(
      `${candidate.name} v${candidate.version} predicts ${target}, v${production.version} predicts ${production.metadata.target}: not comparable`,
    );
  const heldOut = heldOutBy([production.metadata, candidate.metadata], dataset, batch);
  const columns = new Set(['id', target, ...production.metadata.features, ...candidate.metadata.features]);
  let errors = emptyPairedErrors();
  let labelled = 0;
  for (const d of await cleanDescriptors(o.hdfs, o.paths, dataset, batch)) {
    const bytes = await o.hdfs.readFile(d.path, { maxBytes: Math.max(d.bytes, 1) * 2 });
    if (bytes.byteLength !== d.bytes || sha256(bytes) !== d.checksum)
      throw new ChallengeInputError(`${d.path} does not match its descriptor (corrupt or replaced)`);
    const reader = await ParquetReader.open(new MemorySource(d.path, bytes));
    const wanted = reader.footer.fields.filter((f) => columns.has(f));
    if (!wanted.includes(target))
      throw new ChallengeInputError(`${d.path} has no ${target} column: not labelled`);
    const tables = [];
    for await (const { table } of reader.rowGroups({ columns: wanted })) tables.push(table);
    if (tables.length === 0) continue;
    const input = tables[0]!.concat(...tables.slice(1));
    const p = scoreTable(input, production, d.path);
    const c = scoreTable(input, candidate, d.path);
    const y = float64Column(input, target);
    const ids = float64Column(input, 'id').values;
    const rows = new Uint32Array(input.numRows);
    let k = 0;
    for (let i = 0; i < input.numRows; i++) {
      if ((y.valid && y.valid[i] === 0) || p.valid?.[i] === 0 || c.valid?.[i] === 0) continue;
      labelled++;
      if (heldOut.some((m) => !isTestRow(ids[i]!, m.testFraction, m.seed))) continue;
      rows[k++] = i;
    }
    errors = mergePairedErrors(
      errors,
      addPairedErrors(emptyPairedErrors(), y.values, p.prediction, c.prediction, rows.subarray(0, k)),
    );
  }
  const selection = heldOut.length
    ? `labelled rows in the test split of ${heldOut.map((m) => `v${m.version} (fraction ${m.testFraction}, seed ${m.seed})`).join(' and ')}, which trained on this batch`
    : 'every labelled row predicted by both';
  return { errors, labelled, selection };
}

/**
 * Champion/challenger for one candidate version: scores it beside the production version on the
 * latest labelled batch, writes the comparison once to `v<c>/challenges/v<p>-<ds>-batch=<b>.json`
 * and, when the candidate is better beyond noise, points `production` at it with the comparison
 * as evidence. A redelivery finds the report and only completes a promotion a crash left out.
 * Skipped, saying why, when there is nothing to compare: no production, the version is
 * production already or no longer the candidate, no labelled batch.
 */
export async function challengeCandidate(
  o: ChallengeOptions,
  name: string,
  candidate: number,
): Promise<{ report: ChallengeReport; promoted: boolean } | { skipped: string }> {
  const aliases = await o.registry.aliases(name);
  const production = aliases[PRODUCTION];
  if (production === undefined) return { skipped: `${name} has no production version to challenge` };
  if (production === candidate) return { skipped: `${name} v${candidate} is already production` };
  // A version a newer candidate replaced (a replay of lake.models, say) is not judged any more.
  if (aliases[CANDIDATE] !== candidate)
    return { skipped: `${name} v${candidate} is no longer the candidate (v${aliases[CANDIDATE]} is)` };
  const meta = await o.registry.readMetadata(name, candidate);
  if (!meta) return { skipped: `${name} v${candidate} has no metadata` };
  const batch = await latestLabelledBatch(o.hdfs, o.paths, meta.dataset, meta.target);
  if (!batch) return { skipped: `dataset ${meta.dataset} has no complete batch with ${meta.target} values` };
  const path = `${o.registry.challengeDir(name, candidate)}/v${production}-${meta.dataset}-batch=${batch}.json`;
  let report = await readJsonFile<ChallengeReport>(o.hdfs, path);
  if (!report) {
    const started = performance.now();
    const [p, c] = await Promise.all([
      o.registry.load({ name, version: production }),
      o.registry.load({ name, version: candidate }),
    ]);
    const { errors, labelled, selection } = await pairedErrorsOnBatch(o, p, c, meta.dataset, batch);
    const fresh: ChallengeReport = {
      model: name,
      candidate,
      production,
      dataset: meta.dataset,
      batch,
      rows: { compared: errors.n, labelled, selection },
      ...judgePromotion(errors, o.criterion),
      criterion: { ...o.criterion, rule: PROMOTION_RULE },
      seconds: (performance.now() - started) / 1000,
      path,
      createdAt: Date.now(),
    };
    await createIfAbsent(o.hdfs, path, `${JSON.stringify(fresh, null, 2)}\n`);
    report = (await readJsonFile<ChallengeReport>(o.hdfs, path)) ?? fresh;
  }
  if (report.decision !== 'promoted') return { report, promoted: false };
  const done = (await o.registry.promotions(name, PRODUCTION)).some(
    (r) => r.evidence?.challenge?.path === report.path,
  );
  // Production moved on since (another promotion): this comparison no longer applies.
  const current = (await o.registry.aliases(name))[PRODUCTION];
  if (!done && current === report.production)
    await o.registry.promote(name, candidate, PRODUCTION, {
      reason: `champion/challenger on ${report.dataset}/${report.batch} against v${report.production}: ${report.reason}`,
      by: o.worker,
      challenge: report,
    });
  return { report, promoted: done || current === report.production };
}
