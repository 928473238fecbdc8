import { randomUUID } from 'node:crypto';
import { assertName, isValidName, type LakePaths } from '@lakestream/core';
import { type ForestModel, loadModel, type ModelMetadata, StandardScaler } from '@lakestream/forest';
import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import { ModelNotFoundError } from './errors';
import type { ChallengeReport, PromotionEvidence } from './challenge';
import { MODEL_FILES, type ModelVersionMetadata } from './metadata';
import { type ModelRef, parseModelRef } from './model-ref';

export const PRODUCTION = 'production';
export const CANDIDATE = 'candidate';

export interface AliasFile {
  alias: string;
  version: number;
  promotedAt: number;
  /** Why the alias moved there (absent in records written before evidence was kept). */
  evidence?: PromotionEvidence;
}

export interface VersionSummary {
  name: string;
  version: number;
  path: string;
  aliases: string[];
  metadata: ModelVersionMetadata | undefined;
  /** Every alias record that pointed an alias at this version, oldest first, with its evidence. */
  promotions: AliasFile[];
  /** Champion/challenger comparisons this version took part in as the candidate, oldest first. */
  challenges: ChallengeReport[];
}

export interface LoadedModel {
  name: string;
  version: number;
  model: ForestModel;
  scaler: StandardScaler;
  metadata: ModelVersionMetadata;
}

const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/**
 * The models in HDFS: `/lake/models/<name>/v<k>/` (model, scaler, metadata, log), version
 * allocation markers in `_versions/v<k>.json` (created exclusively: one owner per number) and
 * aliases as promotion records in `_aliases/<alias>/`.
 */
export class ModelRegistry {
  constructor(
    private readonly hdfs: HdfsClient,
    private readonly paths: LakePaths,
  ) {}

  get root(): string {
    return `${this.paths.root}/models`;
  }

  modelDir(name: string): string {
    return `${this.root}/${assertName('model', name)}`;
  }

  versionDir(name: string, version: number): string {
    return this.paths.model(name, version);
  }

  /** Model names (folders with a valid name; `_jobs` and other internals are skipped). */
  async listModels(): Promise<string[]> {
    const entries = await this.listOrEmpty(this.root);
    return entries
      .filter((e) => e.type === 'DIRECTORY' && isValidName(e.name))
      .map((e) => e.name)
      .sort();
  }

  /** Published versions of a model, ascending. */
  async versions(name: string): Promise<number[]> {
    const entries = await this.listOrEmpty(this.modelDir(name));
    return entries
      .map((e) => /^v(\d+)$/.exec(e.name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  async readMetadata(name: string, version: number): Promise<ModelVersionMetadata | undefined> {
    return this.readJson<ModelVersionMetadata>(`${this.versionDir(name, version)}/${MODEL_FILES.metadata}`);
  }

  async aliases(name: string): Promise<Record<string, number>> {
    const dir = `${this.modelDir(name)}/_aliases`;
    const out: Record<string, number> = {};
    for (const e of await this.listOrEmpty(dir)) {
      const file = await this.alias(name, e.name);
      if (file) out[file.alias] = file.version;
    }
    return out;
  }

  /** Where an alias points: the newest of its promotion records. */
  private async alias(name: string, alias: string): Promise<AliasFile | undefined> {
    const dir = this.aliasDir(name, alias);
    const records = (await this.listOrEmpty(dir)).map((e) => e.name).sort();
    const newest = records[records.length - 1];
    return newest ? this.readJson<AliasFile>(`${dir}/${newest}`) : undefined;
  }

  /** Every version with its aliases, metadata, promotion records and challenges. */
  async describe(name: string): Promise<VersionSummary[]> {
    const [versions, aliases, promotions] = await Promise.all([
      this.versions(name),
      this.aliases(name),
      this.promotions(name),
    ]);
    return Promise.all(
      versions.map(async (version) => ({
        name,
        version,
        path: this.versionDir(name, version),
        aliases: Object.keys(aliases).filter((a) => aliases[a] === version),
        metadata: await this.readMetadata(name, version),
        promotions: promotions.filter((p) => p.version === version),
        challenges: await this.challenges(name, version),
      })),
    );
  }

  /** Every promotion record of the model (of one alias when given), oldest first. */
  async promotions(name: string, alias?: string): Promise<AliasFile[]> {
    const aliases = alias
      ? [alias]
      : (await this.listOrEmpty(`${this.modelDir(name)}/_aliases`)).map((e) => e.name);
    const out: { record: string; file: AliasFile }[] = [];
    for (const a of aliases) {
      const dir = this.aliasDir(name, a);
      for (const e of await this.listOrEmpty(dir)) {
        const file = await this.readJson<AliasFile>(`${dir}/${e.name}`);
        if (file) out.push({ record: e.name, file });
      }
    }
    return out.sort((x, y) => x.record.localeCompare(y.record)).map((x) => x.file);
  }

  /** Where a version's challenge reports live: `v<k>/challenges/`. */
  challengeDir(name: string, version: number): string {
    return `${this.versionDir(name, version)}/challenges`;
  }

  /** The challenge reports of a version (as the candidate), oldest first. */
  async challenges(name: string, version: number): Promise<ChallengeReport[]> {
    const dir = this.challengeDir(name, version);
    const reports: ChallengeReport[] = [];
    for (const e of await this.listOrEmpty(dir)) {
      const r = e.name.endsWith('.json')
        ? await this.readJson<ChallengeReport>(`${dir}/${e.name}`)
        : undefined;
      if (r) reports.push(r);
    }
    return reports.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** `name` (newest), `name@3`, `name@v3`, `name@production` → the version it means. */
  async resolve(ref: string | ModelRef): Promise<{ name: string; version: number }> {
    const r = typeof ref === 'string' ? parseModelRef(ref) : ref;
    if (r.version !== undefined) {
      if (!(await this.hdfs.exists(this.versionDir(r.name, r.version))))
        throw new ModelNotFoundError(`model ${r.name} has no version ${r.version}`, r.name, r.version);
      return { name: r.name, version: r.version };
    }
    if (r.alias !== undefined) {
      const file = await this.alias(r.name, r.alias);
      if (!file) throw new ModelNotFoundError(`model ${r.name} has no alias ${r.alias}`, r.name);
      return { name: r.name, version: file.version };
    }
    const versions = await this.versions(r.name);
    if (versions.length === 0) throw new ModelNotFoundError(`no model ${r.name}`, r.name);
    return { name: r.name, version: versions[versions.length - 1]! };
  }

  /**
   * Points `alias` at a published version. Each promotion is a new record
   * `_aliases/<alias>/<time>-<seq>.json`, created exclusively (so readers never see a file half
   * written); the newest record is where the alias points. `evidence` says why, and stays with
   * the record.
   */
  async promote(
    name: string,
    version: number,
    alias: string,
    evidence?: PromotionEvidence,
  ): Promise<AliasFile> {
    assertName('alias', alias);
    if (!(await this.hdfs.exists(this.versionDir(name, version))))
      throw new ModelNotFoundError(`model ${name} has no version ${version}`, name, version);
    const dir = this.aliasDir(name, alias);
    for (let seq = 0; ; seq++) {
      const file: AliasFile = { alias, version, promotedAt: Date.now(), ...(evidence ? { evidence } : {}) };
      const record = `${String(file.promotedAt).padStart(15, '0')}-${String(seq).padStart(4, '0')}.json`;
      try {
        await this.hdfs.createExclusive(`${dir}/${record}`, JSON.stringify(file));
        return file;
      } catch (error) {
        if (!(error instanceof HdfsAlreadyExistsError) || seq > 100) throw error;
      }
    }
  }

  /**
   * The version number `owner` (e.g. a training job) publishes under: the one it already
   * holds, else the next free one, claimed by creating `_versions/v<k>.json` exclusively.
   */
  async allocateVersion(name: string, owner: string): Promise<number> {
    const dir = `${this.modelDir(name)}/_versions`;
    for (;;) {
      let max = 0;
      for (const e of await this.listOrEmpty(dir)) {
        const k = Number(/^v(\d+)\.json$/.exec(e.name)?.[1] ?? 0);
        const marker = await this.readJson<{ owner: string }>(`${dir}/${e.name}`);
        if (marker?.owner === owner) return k;
        max = Math.max(max, k);
      }
      try {
        await this.hdfs.createExclusive(`${dir}/v${max + 1}.json`, JSON.stringify({ owner, at: Date.now() }));
        return max + 1;
      } catch (error) {
        if (!(error instanceof HdfsAlreadyExistsError)) throw error;
      }
    }
  }

  /**
   * Writes a version's files into a staging folder and renames it into place, so the version
   * appears whole or not at all. Returns false when the version was already there (a redo).
   */
  async publishVersion(
    name: string,
    version: number,
    files: Record<string, Uint8Array | string>,
  ): Promise<boolean> {
    const final = this.versionDir(name, version);
    if (await this.hdfs.exists(final)) return false;
    const staging = `${this.paths.tmp()}/${randomUUID()}/v${version}`;
    try {
      for (const [file, data] of Object.entries(files)) await this.hdfs.writeFile(`${staging}/${file}`, data);
      await this.hdfs.mkdirs(this.modelDir(name));
      try {
        await this.hdfs.renameNoReplace(staging, final);
      } catch (error) {
        if (error instanceof HdfsAlreadyExistsError) return false;
        throw error;
      }
      return true;
    } finally {
      await this.hdfs.delete(staging.replace(/\/v\d+$/, ''), { recursive: true }).catch(() => false);
    }
  }

  /** Loads a version's forest (checksum verified) and scaler. */
  async load(ref: string | ModelRef): Promise<LoadedModel> {
    const { name, version } = await this.resolve(ref);
    const dir = this.versionDir(name, version);
    const metadata = await this.readMetadata(name, version);
    if (!metadata) throw new ModelNotFoundError(`model ${name} v${version} has no metadata`, name, version);
    const [bytes, forestJson, scalerJson] = await Promise.all([
      this.hdfs.readFile(`${dir}/${MODEL_FILES.model}`, { maxBytes: 1 << 30 }),
      this.readJson<ModelMetadata>(`${dir}/${MODEL_FILES.forestJson}`),
      this.readJson<unknown>(`${dir}/${MODEL_FILES.scaler}`),
    ]);
    return {
      name,
      version,
      // A copy at offset 0: the forest's typed-array sections need an aligned buffer.
      model: loadModel(new Uint8Array(bytes), forestJson),
      scaler: StandardScaler.fromJSON(scalerJson),
      metadata,
    };
  }

  private aliasDir(name: string, alias: string): string {
    return `${this.modelDir(name)}/_aliases/${assertName('alias', alias)}`;
  }

  private async listOrEmpty(path: string) {
    try {
      return await this.hdfs.list(path);
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return [];
      throw error;
    }
  }

  private async readJson<T>(path: string): Promise<T | undefined> {
    try {
      return JSON.parse(decode(await this.hdfs.readFile(path, { maxBytes: 64 << 20 }))) as T;
    } catch (error) {
      if (error instanceof HdfsNotFoundError) return undefined;
      throw error;
    }
  }
}
