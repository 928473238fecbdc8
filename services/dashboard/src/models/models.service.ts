import { Injectable, NotFoundException } from '@nestjs/common';
import { isValidName } from '@lakestream/core';
import { ModelRegistry, type ModelVersionMetadata } from '@lakestream/models';
import { LakeClients } from '../lake-clients';
import { CURVE_AGES, curveColumns, leaderboard, type RankedTrial } from './leaderboard';

export interface ModelVersionSummary {
  name: string;
  version: number;
  aliases: string[];
  path: string;
  createdAt: number;
  job: string;
  dataset: string;
  batches: string[];
  features: string[];
  target: string;
  search: string;
  cvFolds: number;
  bestParams: Record<string, unknown>;
  bestCvMse: number;
  test: { rows: number; mse: number; rmse: number; r2: number };
  trainRows: number;
  trials: number;
  noiseVariance: number | null;
  noSignal: string | null;
  totalSeconds: number;
}

export interface ModelList {
  models: { name: string; aliases: Record<string, number>; versions: ModelVersionSummary[] }[];
}

export interface PredictionCurve {
  ages: number[];
  /** One series per is_active value the model distinguishes (null: it does not use is_active). */
  series: { isActive: 0 | 1 | null; salary: number[] }[];
}

export interface ModelVersionDetail {
  summary: ModelVersionSummary;
  leaderboard: RankedTrial[];
  /** The model's salary prediction over ages 18–80, or why there is none. */
  curve: PredictionCurve | { unavailable: string };
}

/**
 * Model versions from the registry in HDFS (`/lake/models/<name>/v<k>/`): their metrics, the
 * trial leaderboard from metadata.json, and a salary-by-age curve predicted by the stored
 * model. Versions are immutable, so metadata and curves are cached.
 */
@Injectable()
export class ModelsService {
  private readonly registry: ModelRegistry;
  private readonly metadata = new Map<string, ModelVersionMetadata>();
  private readonly curves = new Map<string, Promise<ModelVersionDetail['curve']>>();

  constructor(lake: LakeClients) {
    this.registry = new ModelRegistry(lake.hdfs, lake.paths);
  }

  async list(): Promise<ModelList> {
    const models: ModelList['models'] = [];
    for (const name of await this.registry.listModels()) {
      const [versions, aliases] = await Promise.all([
        this.registry.versions(name),
        this.registry.aliases(name),
      ]);
      const summaries: ModelVersionSummary[] = [];
      for (const version of versions) {
        const meta = await this.meta(name, version);
        if (meta) summaries.push(this.summarise(meta, aliases));
      }
      models.push({ name, aliases, versions: summaries.reverse() });
    }
    return { models };
  }

  async detail(name: string, version: number): Promise<ModelVersionDetail> {
    const meta =
      isValidName(name) && Number.isSafeInteger(version) ? await this.meta(name, version) : undefined;
    if (!meta) throw new NotFoundException(`no model version ${name} v${version}`);
    const aliases = await this.registry.aliases(name);
    return {
      summary: this.summarise(meta, aliases),
      leaderboard: leaderboard(meta.trials),
      curve: await this.curve(meta),
    };
  }

  private curve(meta: ModelVersionMetadata): Promise<ModelVersionDetail['curve']> {
    const key = `${meta.name}@${meta.version}`;
    let curve = this.curves.get(key);
    if (!curve) {
      curve = this.predictCurve(meta);
      curve.catch(() => this.curves.delete(key));
      this.curves.set(key, curve);
    }
    return curve;
  }

  private async predictCurve(meta: ModelVersionMetadata): Promise<ModelVersionDetail['curve']> {
    const levels: (0 | 1 | null)[] = meta.features.includes('is_active') ? [0, 1] : [null];
    if (!curveColumns(meta.features, 0))
      return {
        unavailable: `the model uses ${meta.features.join(', ')}: a curve needs age (and is_active) only`,
      };
    const loaded = await this.registry.load(`${meta.name}@${meta.version}`);
    return {
      ages: CURVE_AGES,
      series: levels.map((isActive) => {
        const columns = curveColumns(meta.features, isActive)!;
        const x = loaded.scaler.transform({ nRows: CURVE_AGES.length, columns });
        return { isActive, salary: Array.from(loaded.model.predict(x)) };
      }),
    };
  }

  private async meta(name: string, version: number): Promise<ModelVersionMetadata | undefined> {
    const key = `${name}@${version}`;
    const cached = this.metadata.get(key);
    if (cached) return cached;
    const meta = await this.registry.readMetadata(name, version);
    if (meta) this.metadata.set(key, meta);
    return meta;
  }

  private summarise(m: ModelVersionMetadata, aliases: Record<string, number>): ModelVersionSummary {
    return {
      name: m.name,
      version: m.version,
      aliases: Object.keys(aliases)
        .filter((a) => aliases[a] === m.version)
        .sort(),
      path: this.registry.versionDir(m.name, m.version),
      createdAt: m.createdAt,
      job: m.job,
      dataset: m.dataset,
      batches: m.lineage.batches,
      features: m.features,
      target: m.target,
      search: m.search,
      cvFolds: m.cvFolds,
      bestParams: m.bestParams,
      bestCvMse: m.bestCvMse,
      test: m.test,
      trainRows: m.train.rows,
      trials: m.trials.length,
      noiseVariance: m.noiseVariance,
      noSignal: m.noSignal?.warning ?? null,
      totalSeconds: m.timings.totalSeconds,
    };
  }
}
