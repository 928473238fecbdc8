import { Body, Controller, Get, HttpCode, HttpException, Param, Post } from '@nestjs/common';
import { InvalidInputError } from '@lakestream/core';
import { type TrainerInfo, TrainerService } from './trainer.service';
import { type JobRequest, type JobStatus, TrainingJobsService } from './training-jobs.service';

const badRequest = (error: unknown): unknown =>
  error instanceof InvalidInputError
    ? new HttpException(
        { statusCode: 400, error: 'Bad Request', message: error.message, field: error.field },
        400,
      )
    : error;

@Controller('trainer')
export class TrainerController {
  constructor(
    private readonly trainer: TrainerService,
    private readonly jobs: TrainingJobsService,
  ) {}

  @Get('info')
  info(): TrainerInfo {
    return this.trainer.info();
  }

  /** Submits a training job (the `lake train` fields); 202 with the job as sent to lake.training.jobs. */
  @Post('jobs')
  @HttpCode(202)
  async submit(@Body() body: JobRequest) {
    try {
      return await this.jobs.submit(body ?? {});
    } catch (error) {
      throw badRequest(error);
    }
  }

  /** Progress of a job: rungs, results in and expected, and its outcome once it ended. */
  @Get('jobs/:job')
  async status(@Param('job') job: string): Promise<JobStatus> {
    let status: JobStatus | undefined;
    try {
      status = await this.jobs.status(job);
    } catch (error) {
      throw badRequest(error);
    }
    if (!status)
      throw new HttpException(
        { statusCode: 404, error: 'Not Found', message: `no training job ${job} (yet)` },
        404,
      );
    return status;
  }
}
