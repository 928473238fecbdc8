import { CSV_TYPES } from '@lakestream/publish';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const query = (name: string, description: string, schema: object, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' };

/** The ingest service's HTTP API, OpenAPI 3.1, served at GET /ingest/openapi.json. */
export const INGEST_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'lakestream ingest',
    version: '1',
    description:
      'Publishes batches into the lake: Parquet partitions under /lake/<dataset>/raw/batch=<id>/ with a _MANIFEST.json, a BatchManifest on lake.batches and one ChunkDescriptor per partition on lake.chunks.raw. Re-publishing the same content under the same batch id is a no-op; different content is refused (409). When the service binds beyond loopback every route but /health/* needs `Authorization: Bearer <LAKE_API_TOKEN>`.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['statusCode', 'message'],
        properties: {
          statusCode: { type: 'integer' },
          error: { type: 'string' },
          message: {
            type: 'string',
            description: 'names the file, line or row group, and column where it applies',
          },
          badRowCount: { type: 'integer' },
          badRows: { type: 'array', items: { $ref: '#/components/schemas/BadRow' } },
        },
      },
      BadRow: {
        type: 'object',
        required: ['file', 'reason'],
        properties: {
          file: { type: 'string' },
          line: { type: 'integer', description: 'CSV line, 1-based (the header is line 1)' },
          rowGroup: { type: 'integer', description: 'Parquet row group, 0-based' },
          column: { type: 'string' },
          reason: { type: 'string' },
        },
      },
      PublishResult: {
        type: 'object',
        required: ['dataset', 'batch', 'partitions', 'rows', 'bytes', 'seconds', 'outcome', 'manifest'],
        properties: {
          dataset: { type: 'string' },
          batch: { type: 'string' },
          partitions: { type: 'integer' },
          rows: { type: 'integer' },
          bytes: { type: 'integer', description: 'bytes of the Parquet partitions written' },
          seconds: { type: 'number' },
          outcome: { enum: ['published', 'unchanged', 'resumed'] },
          manifest: { type: 'string', description: 'HDFS path of _MANIFEST.json' },
          badRowCount: { type: 'integer', description: 'files only: rows skipped (skipBadRows)' },
          badRows: { type: 'array', items: { $ref: '#/components/schemas/BadRow' } },
        },
      },
      SyntheticRequest: {
        type: 'object',
        required: ['dataset', 'rows'],
        properties: {
          dataset: NAME,
          batch: NAME,
          rows: { type: 'integer', minimum: 1 },
          partitions: { type: 'integer', minimum: 1, description: 'default: one per million rows' },
          seed: { type: 'integer', default: 42 },
          profile: { enum: ['described', 'study'], default: 'described' },
          quirks: { type: 'boolean', default: false },
          referenceDate: {
            type: 'string',
            format: 'date',
            description: 'signup dates end on this day (default today)',
          },
        },
      },
    },
  },
  security: [{ bearer: [] }, {}],
  paths: {
    '/ingest/batches': {
      post: {
        summary: 'Publish uploaded CSV or Parquet files as one batch',
        description: `Rows are re-partitioned by the hash of id. CSV: a header row naming the raw columns (id, name, age, salary, signup_date, is_active) in any order; types are inferred from the first 1000 rows and checked row by row (${CSV_TYPES.join(', ')}); empty fields are nulls; dates YYYY-MM-DD or YYYY-MM-DD HH:MM:SS[.ffffff]; booleans true/false/1/0. The body is streamed to local disk; beyond ingest.maxUploadBytes the answer is 413 and nothing is published.`,
        parameters: [
          query('dataset', 'dataset name', NAME, true),
          query('batch', 'batch id (default: a new id from the current time)', NAME),
          query('partitions', 'partitions (default: about one per million rows)', {
            type: 'integer',
            minimum: 1,
          }),
          query('delimiter', 'CSV field delimiter', { type: 'string', default: ',' }),
          query('skipBadRows', 'publish the good rows and list the bad ones (default: refuse the batch)', {
            type: 'boolean',
          }),
          query('allowExtraColumns', 'drop columns beyond the raw table (default: refuse the file)', {
            type: 'boolean',
          }),
          query('filename', 'name of a raw-body upload, shown in messages', { type: 'string' }),
        ],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
              },
            },
            'text/csv': { schema: { type: 'string', format: 'binary' } },
            'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
            'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
          },
        },
        responses: {
          '201': {
            description: 'published (or already published with the same content)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PublishResult' } } },
          },
          '400': error(
            'bad input: unreadable file, missing or extra columns, wrong types, empty file, bad rows',
          ),
          '401': error('missing or wrong API token'),
          '409': error('the batch id already holds different content'),
          '413': error('the upload is larger than ingest.maxUploadBytes'),
        },
      },
    },
    '/ingest/synthetic': {
      post: {
        summary: 'Generate and publish a synthetic batch',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/SyntheticRequest' } } },
        },
        responses: {
          '201': {
            description: 'published (or already published)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PublishResult' } } },
          },
          '400': error('bad request'),
          '409': error('the batch id already holds different content'),
        },
      },
    },
    '/ingest/info': {
      get: {
        summary: 'What this service is and how it is configured (no secrets)',
        responses: { '200': { description: 'ok' } },
      },
    },
    '/ingest/openapi.json': {
      get: { summary: 'This document', security: [{}], responses: { '200': { description: 'ok' } } },
    },
    '/health/live': {
      get: { summary: 'Liveness', security: [{}], responses: { '200': { description: 'ok' } } },
    },
    '/health/ready': {
      get: {
        summary: 'Readiness: Kafka, WebHDFS and the registry reachable',
        security: [{}],
        responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
      },
    },
    '/metrics': {
      get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } },
    },
  },
} as const;
