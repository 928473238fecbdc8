import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PipelineLog } from './pipeline-log';

it('writes lines in the format of Python logging', () => {
  const at = Date.UTC(2026, 10, 25, 11, 30, 0, 123);
  const text = new PipelineLog().info('Loading data', at).warning('no signal', at).toString();
  assert.equal(
    text,
    '2026-11-25 11:30:00,123 - INFO - Loading data\n2026-11-25 11:30:00,123 - WARNING - no signal\n',
  );
});
