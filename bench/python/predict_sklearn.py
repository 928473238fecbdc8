"""scikit-learn's side of the prediction benchmark: the same forest parameters fitted on the
same training rows, then every clean partition (local copies) read with pyarrow, scored with
n_jobs=2 and written back as Parquet (id, features, target, prediction), one partition at a time.

usage: python predict_sklearn.py <clean dir> <out dir> '<json: features, target, params, trainFile>'
Prints one JSON line: fit and scoring seconds, rows, MSE.
"""
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sklearn.ensemble import RandomForestRegressor
from sklearn.preprocessing import StandardScaler


def main():
    clean, out, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    features, target = spec["features"], spec["target"]
    os.makedirs(out, exist_ok=True)
    train = pq.read_table(spec["trainFile"], columns=features + [target])
    x = np.column_stack([train[f].to_numpy().astype(np.float64) for f in features])
    y = train[target].to_numpy().astype(np.float64)
    t = time.perf_counter()
    scaler = StandardScaler().fit(x)
    model = RandomForestRegressor(**spec["params"], n_jobs=2).fit(scaler.transform(x), y)
    fit_seconds = time.perf_counter() - t

    rows, sse = 0, 0.0
    t = time.perf_counter()
    for name in sorted(os.listdir(clean)):
        table = pq.read_table(os.path.join(clean, name), columns=["id"] + features + [target])
        xs = np.column_stack([table[f].to_numpy().astype(np.float64) for f in features])
        pred = model.predict(scaler.transform(xs))
        ys = table[target].to_numpy().astype(np.float64)
        sse += float(np.sum((pred - ys) ** 2))
        rows += len(pred)
        pq.write_table(table.append_column("prediction", pa.array(pred)), os.path.join(out, name), compression="snappy")
    score_seconds = time.perf_counter() - t
    print(json.dumps(dict(fitSeconds=fit_seconds, seconds=score_seconds, rows=rows, mse=sse / rows)))


if __name__ == "__main__":
    main()
