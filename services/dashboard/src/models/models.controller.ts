import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { type ModelList, type ModelVersionDetail, ModelsService } from './models.service';

@Controller('api/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  /** Every model in the registry with its versions (newest first), aliases and metrics. */
  @Get()
  list(): Promise<ModelList> {
    return this.models.list();
  }

  /** One version: metrics, the trial leaderboard, and its salary-by-age prediction curve. */
  @Get(':name/:version')
  detail(
    @Param('name') name: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<ModelVersionDetail> {
    return this.models.detail(name, version);
  }
}
