import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareHistograms, OPEN_EDGE } from '@lakestream/drift';
import { histogramRows } from './drift-print';

test('histograms side by side: shares per bin, empty bins left out, open edges as ∞, bars scaled to the largest share', () => {
  const edges = [-OPEN_EDGE, 0, 10, 20, OPEN_EDGE];
  const d = compareHistograms(
    { column: 'x', edges, counts: [0, 3, 1, 0] },
    { column: 'x', edges, counts: [0, 0, 2, 2] },
    { psi: 0.2, ks: 0.1 },
  );
  assert.deepEqual(histogramRows(d, 4), [
    ['[0, 10)', '75.0 %', '████', '0.0 %', ''],
    ['[10, 20)', '25.0 %', '█   ', '50.0 %', '███'],
    ['[20, ∞)', '0.0 %', '    ', '50.0 %', '███'],
  ]);
});
