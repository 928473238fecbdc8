import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpException, Inject, Post, Query, Req } from '@nestjs/common';
import { InvalidInputError } from '@lakestream/core';
import {
  BadRowsError,
  BatchConflictError,
  type FilesPublishResult,
  type PublishResult,
} from '@lakestream/publish';
import { type IngestInfo, IngestService } from './ingest.service';
import { INGEST_OPENAPI } from './openapi';
import { receiveUpload, UploadFormatError, UploadTooLargeError } from './upload';

/** Query string of POST /ingest/batches. */
export interface UploadQuery {
  dataset?: string;
  batch?: string;
  partitions?: string;
  delimiter?: string;
  skipBadRows?: string;
  allowExtraColumns?: string;
  filename?: string;
}

/** Body of POST /ingest/synthetic. */
export interface SyntheticBody {
  dataset?: unknown;
  batch?: unknown;
  rows?: unknown;
  partitions?: unknown;
  seed?: unknown;
  profile?: unknown;
  quirks?: unknown;
  referenceDate?: unknown;
}

const flag = (v: string | undefined): boolean => v === '' || v === 'true' || v === '1';

function positiveInt(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidInputError(`${name} ${JSON.stringify(v)}: expected a positive integer`, name);
  return n;
}

/** Our errors as HTTP answers: bad input 400 (with the bad rows), a conflicting batch 409, too large 413. */
function httpError(error: unknown): unknown {
  if (error instanceof UploadTooLargeError)
    return new HttpException({ statusCode: 413, error: 'Payload Too Large', message: error.message }, 413);
  if (error instanceof BatchConflictError)
    return new HttpException({ statusCode: 409, error: 'Conflict', message: error.message }, 409);
  if (error instanceof BadRowsError)
    return new HttpException(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: error.message,
        badRowCount: error.count,
        badRows: error.badRows.slice(0, 100),
      },
      400,
    );
  if (error instanceof InvalidInputError || error instanceof UploadFormatError)
    return new HttpException({ statusCode: 400, error: 'Bad Request', message: error.message }, 400);
  return error;
}

@Controller('ingest')
export class IngestController {
  constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

  @Get('info')
  info(): IngestInfo {
    return this.ingest.info();
  }

  @Get('openapi.json')
  openapi(): object {
    return INGEST_OPENAPI;
  }

  /**
   * Publishes uploaded CSV or Parquet files as one batch. The body (multipart/form-data file
   * fields, or one raw file) is streamed to local temp files under ingest.maxUploadBytes, then
   * published like `lake publish <files…>`.
   */
  @Post('batches')
  async publishUpload(@Req() req: IncomingMessage, @Query() query: UploadQuery): Promise<FilesPublishResult> {
    try {
      if (!query.dataset) throw new InvalidInputError('dataset is required (?dataset=…)', 'dataset');
      const partitions = positiveInt('partitions', query.partitions);
      const upload = await receiveUpload(req, {
        tmpDir: this.ingest.config.ingest.tmpDir,
        maxBytes: this.ingest.config.ingest.maxUploadBytes,
        filename: query.filename,
      });
      try {
        const result = await this.ingest.publishFiles({
          dataset: query.dataset,
          batch: query.batch || undefined,
          files: upload.files,
          labels: upload.names,
          partitions,
          delimiter: query.delimiter || undefined,
          skipBadRows: flag(query.skipBadRows),
          allowExtraColumns: flag(query.allowExtraColumns),
        });
        return result;
      } finally {
        upload.cleanup();
      }
    } catch (error) {
      throw httpError(error);
    }
  }

  /** Generates and publishes a synthetic batch, like `lake publish --synthetic`. */
  @Post('synthetic')
  async publishSynthetic(@Body() body: SyntheticBody): Promise<PublishResult> {
    try {
      const b = body ?? {};
      if (typeof b.dataset !== 'string') throw new InvalidInputError('dataset is required', 'dataset');
      if (b.profile !== undefined && b.profile !== 'described' && b.profile !== 'study')
        throw new InvalidInputError(
          `profile ${JSON.stringify(b.profile)}: expected described or study`,
          'profile',
        );
      const rows = positiveInt('rows', b.rows);
      if (rows === undefined) throw new InvalidInputError('rows is required', 'rows');
      return await this.ingest.publishSynthetic({
        dataset: b.dataset,
        batch: typeof b.batch === 'string' ? b.batch : undefined,
        rows,
        partitions: positiveInt('partitions', b.partitions) ?? Math.max(1, Math.ceil(rows / 1_000_000)),
        seed: b.seed === undefined ? undefined : Number(b.seed),
        profile: b.profile as 'described' | 'study' | undefined,
        quirks: b.quirks === true,
        referenceDate: typeof b.referenceDate === 'string' ? b.referenceDate : undefined,
      });
    } catch (error) {
      throw httpError(error);
    }
  }
}
