import { Body, Controller, Get, HttpException, Post } from '@nestjs/common';
import { InvalidInputError } from '@lakestream/core';
import { ModelNotFoundError } from '@lakestream/models';
import { PredictionInputError, type PredictionSummary } from '@lakestream/prediction';
import { type BackfillRequest, BackfillService } from './backfill.service';
import { type PredictorInfo, PredictorService } from './predictor.service';

const httpError = (error: unknown): unknown => {
  if (error instanceof InvalidInputError || error instanceof PredictionInputError)
    return new HttpException({ statusCode: 400, error: 'Bad Request', message: error.message }, 400);
  if (error instanceof ModelNotFoundError)
    return new HttpException({ statusCode: 404, error: 'Not Found', message: error.message }, 404);
  return error;
};

@Controller('predictor')
export class PredictorController {
  constructor(
    private readonly predictor: PredictorService,
    private readonly backfill: BackfillService,
  ) {}

  @Get('info')
  info(): PredictorInfo {
    return this.predictor.info();
  }

  /** Predicts a clean batch with a model version (default: the configured model's alias); returns its summary. */
  @Post('predict')
  async predict(@Body() body: BackfillRequest): Promise<PredictionSummary> {
    try {
      return await this.backfill.predict(body ?? {});
    } catch (error) {
      throw httpError(error);
    }
  }
}
