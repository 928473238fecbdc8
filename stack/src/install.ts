import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';
import type { StackLayout } from './layout';

export type Artifact = 'kafka' | 'hdfs' | 'registry';

/**
 * Brings a server's jars from Maven Central into the cache (once): stack/maven/<artifact>/pom.xml
 * copies them. A marker file records a finished copy, so a second start needs no network.
 */
export function ensureArtifact(
  layout: StackLayout,
  artifact: Artifact,
  log: (line: string) => void,
): boolean {
  const dir = layout.lib[artifact];
  const marker = join(dir, '.installed');
  if (existsSync(marker)) return false;
  mkdirSync(dir, { recursive: true });
  const pom = join(layout.repoStack, 'maven', artifact, 'pom.xml');
  log(`downloading ${artifact} from Maven Central into ${dir} …`);
  const started = Date.now();
  const r = spawnSync('mvn', ['-B', '-q', '-f', pom, 'package', `-Dlake.lib=${dir}`], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error) {
    throw new StackError(
      `cannot run Maven to fetch ${artifact} (${r.error.message}). Install Maven (\`apt-get install maven\`) and make sure \`mvn\` is on PATH.`,
      artifact,
    );
  }
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new StackError(
      `downloading ${artifact} failed (mvn exit ${r.status}). Check that Maven Central is reachable (proxy settings in ~/.m2/settings.xml) and run \`lake stack up\` again.`,
      artifact,
      tail,
    );
  }
  writeFileSync(marker, new Date().toISOString());
  log(`${artifact} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
