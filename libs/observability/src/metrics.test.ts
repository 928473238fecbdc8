import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics } from './index';

/** The value of the sample `name` with exactly `labels` in a Prometheus text exposition. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort())) {
      return Number(m[3]);
    }
  }
  return undefined;
}

describe('createMetrics', () => {
  it('exposes the shared lake_* series with their values and the service label', async () => {
    const m = createMetrics('etl');
    m.rowsProcessed.inc({ stage: 'clean' }, 1500);
    m.partitionSeconds.observe({ stage: 'clean' }, 0.3);
    m.consumerLag.set({ group: 'lake-etl', topic: 'lake.chunks.raw' }, 7);
    m.dlqMessages.inc({ topic: 'lake.chunks.raw' });
    m.modelVersion.set({ model: 'salary' }, 3);
    const text = await m.text();
    assert.equal(sample(text, 'lake_rows_processed_total', { stage: 'clean', service: 'etl' }), 1500);
    assert.equal(
      sample(text, 'lake_partition_seconds_bucket', { le: '0.25', stage: 'clean', service: 'etl' }),
      0,
    );
    assert.equal(
      sample(text, 'lake_partition_seconds_bucket', { le: '0.5', stage: 'clean', service: 'etl' }),
      1,
    );
    assert.equal(sample(text, 'lake_partition_seconds_sum', { stage: 'clean', service: 'etl' }), 0.3);
    assert.equal(
      sample(text, 'lake_consumer_lag', { group: 'lake-etl', topic: 'lake.chunks.raw', service: 'etl' }),
      7,
    );
    assert.equal(sample(text, 'lake_dlq_messages_total', { topic: 'lake.chunks.raw', service: 'etl' }), 1);
    assert.equal(sample(text, 'lake_model_version', { model: 'salary', service: 'etl' }), 3);
    assert.match(text, /^# TYPE lake_partition_seconds histogram$/m);
  });

  it('includes default process metrics', async () => {
    const text = await createMetrics('trainer').text();
    assert.ok((sample(text, 'process_cpu_user_seconds_total', { service: 'trainer' }) ?? -1) >= 0);
    assert.ok((sample(text, 'nodejs_heap_size_used_bytes', { service: 'trainer' }) ?? 0) > 0);
  });

  it('keeps registries of two services apart and prefixes custom metrics', async () => {
    const a = createMetrics('ingest', { defaultMetrics: false });
    const b = createMetrics('predictor', { defaultMetrics: false });
    a.counter({ name: 'batches_published_total', help: 'Batches published.' }).inc(2);
    assert.equal(sample(await a.text(), 'lake_batches_published_total', { service: 'ingest' }), 2);
    assert.doesNotMatch(await b.text(), /batches_published/);
  });

  it('refuses invalid metric names', () => {
    const m = createMetrics('etl', { defaultMetrics: false });
    assert.throws(() => m.gauge({ name: 'bad-name', help: 'x' }), /not a valid Prometheus name/);
  });
});
