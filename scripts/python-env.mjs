// Creates (once) the Python virtual environment that tests and benchmarks use as reference
// tools: NumPy, pyarrow, DuckDB, scikit-learn. A stamp of the requirements makes a second run free.
// usage: node scripts/python-env.mjs [requirements files…]   (default: scripts/requirements-test.txt)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const venv = process.env.LAKE_VENV ?? join(root, '.cache', 'venv');
const defaultFiles = [join(root, 'scripts/requirements-test.txt')];
const python = join(venv, 'bin', 'python');

export function ensurePythonEnv(reqFiles = defaultFiles) {
  const text = reqFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
  const stamp = join(venv, `.stamp-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  if (existsSync(stamp)) return python;
  const started = Date.now();
  if (!existsSync(python)) {
    mkdirSync(dirname(venv), { recursive: true });
    execFileSync(process.env.LAKE_PYTHON_BASE ?? 'python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet'];
  for (const f of reqFiles) pipArgs.push('-r', f);
  execFileSync(python, pipArgs, { stdio: 'inherit' });
  writeFileSync(stamp, text);
  console.error(`python env ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${venv}`);
  return python;
}

// Requirements files from the command line only when run as a script, never when imported.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  ensurePythonEnv(args.length ? args : defaultFiles);
}
