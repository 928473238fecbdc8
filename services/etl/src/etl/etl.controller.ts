import { Controller, Get } from '@nestjs/common';
import { type EtlInfo, EtlService } from './etl.service';

@Controller('etl')
export class EtlController {
  constructor(private readonly etl: EtlService) {}

  @Get('info')
  info(): EtlInfo {
    return this.etl.info();
  }
}
