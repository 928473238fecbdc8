import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * The Python of the anchors, created on first use by scripts/python-env.mjs (a stamp makes
 * later calls free): the test environment (NumPy, pyarrow, DuckDB, scikit-learn) or, with
 * `spark`, the bench environment that adds PySpark. LAKE_VENV overrides the folder.
 */
export function anchorPython(options: { spark?: boolean } = {}): string {
  const venv = process.env.LAKE_VENV ?? join(root, '.cache', options.spark ? 'venv-bench' : 'venv');
  const requirements = options.spark ? [join(root, 'bench', 'python', 'requirements-bench.txt')] : [];
  execFileSync(process.execPath, [join(root, 'scripts', 'python-env.mjs'), ...requirements], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LAKE_VENV: venv },
  });
  return join(venv, 'bin', 'python');
}
