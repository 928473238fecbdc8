import { Controller, Get } from '@nestjs/common';
import { type TrainerInfo, TrainerService } from './trainer.service';

@Controller('trainer')
export class TrainerController {
  constructor(private readonly trainer: TrainerService) {}

  @Get('info')
  info(): TrainerInfo {
    return this.trainer.info();
  }
}
