import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root: the folder whose package.json declares the workspaces. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'biome.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/**
 * The Python interpreter of the reference-tool environment (NumPy, pyarrow, DuckDB,
 * scikit-learn), created on first use by scripts/python-env.mjs.
 */
export function pythonBin(): string {
  const venv = process.env.LAKE_VENV ?? join(repoRoot(), '.cache', 'venv');
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    execFileSync(process.execPath, [join(repoRoot(), 'scripts', 'python-env.mjs')], { stdio: 'inherit' });
  }
  return python;
}

/** Runs a Python snippet in the reference environment and returns its stdout. */
export function runPython(code: string, args: string[] = [], options: { maxBuffer?: number } = {}): string {
  return execFileSync(pythonBin(), ['-c', code, ...args], {
    encoding: 'utf8',
    maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
  });
}

export function tempDir(prefix = 'lake-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export { describeServiceWithoutDependencies } from './service-conformance';
