import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import { InvalidInputError } from '@lakestream/core';

/** Every lakestream metric name starts with this. */
export const METRIC_PREFIX = 'lake_';

type Named<C> = Omit<C, 'registers' | 'name'> & { name: string };

/** Buckets for per-partition durations: 10 ms to 10 min. */
export const PARTITION_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * A service's metrics: its own prom-client registry (default process metrics plus the
 * shared lake_* series), and helpers that create more lake_* metrics in that registry.
 */
export interface LakeMetrics {
  readonly registry: Registry;
  /** lake_rows_processed_total{stage} */
  readonly rowsProcessed: Counter<'stage'>;
  /** lake_partition_seconds{stage}: wall time to process one partition. */
  readonly partitionSeconds: Histogram<'stage'>;
  /** lake_consumer_lag{group,topic}: messages behind the log end. */
  readonly consumerLag: Gauge<'group' | 'topic'>;
  /** lake_dlq_messages_total{topic}: messages sent to `<topic>.dlq`. */
  readonly dlqMessages: Counter<'topic'>;
  /** lake_model_version{model}: the version of a model currently in use. */
  readonly modelVersion: Gauge<'model'>;
  counter<L extends string>(config: Named<CounterConfiguration<L>>): Counter<L>;
  histogram<L extends string>(config: Named<HistogramConfiguration<L>>): Histogram<L>;
  gauge<L extends string>(config: Named<GaugeConfiguration<L>>): Gauge<L>;
  /** The Prometheus text exposition of everything in the registry. */
  text(): Promise<string>;
  contentType: string;
}

/** Creates a registry labelled `service=<service>` with default and shared lake_* metrics. */
export function createMetrics(service: string, options: { defaultMetrics?: boolean } = {}): LakeMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const counter = <L extends string>(c: Named<CounterConfiguration<L>>) =>
    new Counter<L>({ ...c, name: prefixed(c.name), registers: [registry] });
  const histogram = <L extends string>(c: Named<HistogramConfiguration<L>>) =>
    new Histogram<L>({ ...c, name: prefixed(c.name), registers: [registry] });
  const gauge = <L extends string>(c: Named<GaugeConfiguration<L>>) =>
    new Gauge<L>({ ...c, name: prefixed(c.name), registers: [registry] });

  return {
    registry,
    rowsProcessed: counter({
      name: 'rows_processed_total',
      help: 'Rows processed, by pipeline stage.',
      labelNames: ['stage'],
    }),
    partitionSeconds: histogram({
      name: 'partition_seconds',
      help: 'Seconds to process one partition, by pipeline stage.',
      labelNames: ['stage'],
      buckets: PARTITION_SECONDS_BUCKETS,
    }),
    consumerLag: gauge({
      name: 'consumer_lag',
      help: 'Messages between the committed offset and the log end, by consumer group and topic.',
      labelNames: ['group', 'topic'],
    }),
    dlqMessages: counter({
      name: 'dlq_messages_total',
      help: 'Messages sent to a dead-letter topic, by source topic.',
      labelNames: ['topic'],
    }),
    modelVersion: gauge({
      name: 'model_version',
      help: 'Version of each model currently used for prediction.',
      labelNames: ['model'],
    }),
    counter,
    histogram,
    gauge,
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** `rows_total` → `lake_rows_total`; names already prefixed are kept; invalid names are refused. */
function prefixed(name: string): string {
  const full = name.startsWith(METRIC_PREFIX) ? name : `${METRIC_PREFIX}${name}`;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(full)) {
    throw new InvalidInputError(`metric name ${JSON.stringify(name)} is not a valid Prometheus name`, 'name');
  }
  return full;
}
