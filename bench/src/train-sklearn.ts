/**
 * The train bench's anchor: scikit-learn's GridSearchCV over the same grid, on the same clean
 * rows (the clean partitions copied from HDFS, read with pyarrow, missing values dropped) and the
 * same split and folds (ours, from the id hash, passed as a PredefinedSplit), StandardScaler
 * fitted on the training split as the study does. Timed: scaler + GridSearchCV.fit (its CV and its
 * refit of the best candidate), not the Parquet read.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchorPython } from './python';

const SCRIPT = `
import json, sys, time
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
import sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.preprocessing import StandardScaler

a = json.loads(sys.argv[1])
t = pa.concat_tables([pq.read_table(f, columns=['id'] + a['features'] + [a['target']]) for f in a['files']])
df = t.to_pandas().dropna()
ids = np.fromfile(a['ids'], dtype='<f8')
folds = np.fromfile(a['folds'], dtype=np.uint8)
if not np.array_equal(df['id'].to_numpy(dtype='f8'), ids):
    raise SystemExit('the rows differ from the trainer bench\\'s (ids do not match)')
X = np.column_stack([df[f].to_numpy(dtype='f8') for f in a['features']])
y = df[a['target']].to_numpy(dtype='f8')
train = folds != 255
grid = {k: [None if v is None else v for v in vs] for k, vs in a['grid'].items()}
started = time.perf_counter()
scaler = StandardScaler().fit(X[train])
search = GridSearchCV(RandomForestRegressor(random_state=a['seed']), grid, cv=PredefinedSplit(folds[train]),
                      scoring='neg_mean_squared_error', n_jobs=a['nJobs'], refit=True)
search.fit(scaler.transform(X[train]), y[train])
seconds = time.perf_counter() - started
pred = search.best_estimator_.predict(scaler.transform(X[~train]))
r = search.cv_results_
print(json.dumps(dict(
    seconds=seconds, refitSeconds=search.refit_time_, bestParams=search.best_params_,
    cv=[dict(params=dict(p), cvMse=-float(s)) for p, s in zip(r['params'], r['mean_test_score'])],
    testMse=float(mean_squared_error(y[~train], pred)), trainRows=int(train.sum()), testRows=int((~train).sum()),
    nJobs=a['nJobs'], sklearnVersion=sklearn.__version__, numpyVersion=np.__version__)))
`;

export interface SklearnGrid {
  seconds: number;
  refitSeconds: number;
  bestParams: Record<string, unknown>;
  cv: { params: Record<string, unknown>; cvMse: number }[];
  testMse: number;
  trainRows: number;
  testRows: number;
  nJobs: number;
  sklearnVersion: string;
  numpyVersion: string;
}

export function runSklearnGrid(
  dir: string,
  a: {
    files: string[];
    ids: string;
    folds: string;
    features: string[];
    target: string;
    grid: Record<string, unknown[]>;
    seed: number;
    nJobs: number;
  },
): SklearnGrid {
  const script = join(dir, 'train_sklearn.py');
  writeFileSync(script, SCRIPT);
  const out = execFileSync(anchorPython(), [script, JSON.stringify(a)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as SklearnGrid;
}
