import { InvalidInputError } from '@lakestream/core';
import { ModelRegistry, parseModelRef, type VersionSummary } from '@lakestream/models';
import type { Command } from 'commander';
import { lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, green, printJson, table, yellow } from '../output/print';

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '' : n.toFixed(digits));

function versionRow(v: VersionSummary): (string | number)[] {
  const m = v.metadata;
  return [
    `${v.name}@v${v.version}`,
    v.aliases.join(','),
    fmt(m?.test.mse),
    fmt(m?.test.rmse),
    fmt(m?.test.r2, 4),
    m?.noiseVariance ? fmt(m.test.mse / m.noiseVariance, 4) : '',
    m ? JSON.stringify(m.bestParams) : '(no metadata)',
    m?.features.join(',') ?? '',
    m ? new Date(m.createdAt).toISOString().slice(0, 19).replace('T', ' ') : '',
  ];
}

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('list model versions with their metrics and aliases; `lake models promote` moves an alias')
    .argument('[name]', 'only this model')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, flags: { json?: boolean }) => {
      const clients = lakeClients(cliConfig(program.opts()));
      try {
        const registry = new ModelRegistry(clients.hdfs, clients.paths);
        const names = name ? [parseModelRef(name).name] : await registry.listModels();
        const versions = (await Promise.all(names.map((n) => registry.describe(n)))).flat();
        if (flags.json) {
          printJson({
            models: versions.map((v) => ({
              name: v.name,
              version: v.version,
              path: v.path,
              aliases: v.aliases,
              features: v.metadata?.features ?? null,
              bestParams: v.metadata?.bestParams ?? null,
              testMse: v.metadata?.test.mse ?? null,
              testRmse: v.metadata?.test.rmse ?? null,
              testR2: v.metadata?.test.r2 ?? null,
              cvMse: v.metadata?.bestCvMse ?? null,
              noiseVariance: v.metadata?.noiseVariance ?? null,
              noSignal: v.metadata?.noSignal?.warning ?? null,
              job: v.metadata?.job ?? null,
              createdAt: v.metadata?.createdAt ?? null,
              promotions: v.promotions.map((p) => ({
                alias: p.alias,
                promotedAt: p.promotedAt,
                reason: p.evidence?.reason ?? null,
                by: p.evidence?.by ?? null,
                challenge: p.evidence?.challenge?.path ?? null,
              })),
              challenges: v.challenges,
            })),
          });
          return;
        }
        if (versions.length === 0) {
          console.log(name ? `no model ${name}` : 'no models yet; `lake train` makes one');
          return;
        }
        console.log(
          table(
            [
              'model',
              'aliases',
              'test MSE',
              'RMSE',
              'R²',
              'MSE/noise',
              'params',
              'features',
              'created (UTC)',
            ],
            versions.map(versionRow),
          ),
        );
        for (const v of versions)
          if (v.metadata?.noSignal)
            console.log(yellow(`${v.name}@v${v.version}: ${v.metadata.noSignal.warning}`));
        for (const v of versions)
          for (const c of v.challenges)
            console.log(
              `${v.name}@v${v.version} vs v${c.production} on ${c.dataset}/${c.batch}: ${c.decision === 'promoted' ? green(c.decision) : yellow(c.decision)} — ${c.reason}`,
            );
      } finally {
        await clients.close();
      }
    });

  models
    .command('promote')
    .description('point an alias (production, candidate, …) at a version')
    .argument('<ref>', 'name@version (or name@alias)')
    .argument('[alias]', 'alias to move', 'production')
    .option('--json', 'print JSON')
    .action(async (ref: string, alias: string, flags: { json?: boolean }) => {
      const r = parseModelRef(ref);
      if (r.version === undefined && r.alias === undefined)
        throw new InvalidInputError(`say which version: ${r.name}@<version>`, 'ref');
      const clients = lakeClients(cliConfig(program.opts()));
      try {
        const registry = new ModelRegistry(clients.hdfs, clients.paths);
        const { name, version } = await registry.resolve(r);
        const before = (await registry.aliases(name))[alias];
        await registry.promote(name, version, alias, {
          reason: `manual: lake models promote ${ref} ${alias}`,
          by: `cli@${process.env.USER ?? 'unknown'}`,
        });
        // `--json` after the subcommand's arguments is parsed as the parent's option.
        if (flags.json || models.opts().json)
          printJson({ model: name, version, alias, previous: before ?? null });
        else
          console.log(
            `${bold(`${name}@${alias}`)} → v${version}${before !== undefined && before !== version ? ` (was v${before})` : ''}`,
          );
      } finally {
        await clients.close();
      }
    });
}
