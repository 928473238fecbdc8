import { Controller, Get } from '@nestjs/common';
import { type PredictorInfo, PredictorService } from './predictor.service';

@Controller('predictor')
export class PredictorController {
  constructor(private readonly predictor: PredictorService) {}

  @Get('info')
  info(): PredictorInfo {
    return this.predictor.info();
  }
}
