import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomForestRegression } from 'ml-random-forest';
import { RandomForestRegressor } from './forest';
import { mse } from './metrics';
import { studyData } from './study-data.fixture';

// ml-random-forest needs ~1.5 s per depth-10 tree on 5k rows, so it gets 3 trees here; ours
// gets the study's 100 (a fraction of a second), and is also checked at equal settings.
test('on 5k rows of study data our test MSE is no worse than ml-random-forest', async () => {
  const train = studyData(5000, 11);
  const test = studyData(20000, 12);
  const theirs = new RandomForestRegression({
    nEstimators: 3,
    seed: 5,
    noOOB: true,
    treeOptions: { maxDepth: 10 },
  });
  theirs.train(
    Array.from(train.age, (a, i) => [a, train.isActive[i]]),
    Array.from(train.salary),
  );
  const theirMse = mse(test.salary, theirs.predict(Array.from(test.age, (a, i) => [a, test.isActive[i]])));
  const fit = (n: number) =>
    new RandomForestRegressor({ nEstimators: n, maxDepth: 10, randomState: 5, nJobs: 1 }).fit(
      [train.age, train.isActive],
      train.salary,
    );
  const ours = await fit(100);
  const ourMse = mse(test.salary, ours.predict([test.age, test.isActive]));
  assert.ok(ourMse <= theirMse, `ours (100 trees) ${ourMse} vs ml-random-forest (3 trees) ${theirMse}`);
  const same = await fit(3);
  const sameMse = mse(test.salary, same.predict([test.age, test.isActive]));
  assert.ok(
    sameMse <= 1.01 * theirMse,
    `ours (3 trees) ${sameMse} vs ml-random-forest (3 trees) ${theirMse}`,
  );
});
