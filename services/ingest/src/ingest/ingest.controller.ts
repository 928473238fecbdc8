import { Controller, Get } from '@nestjs/common';
import { type IngestInfo, IngestService } from './ingest.service';

@Controller('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Get('info')
  info(): IngestInfo {
    return this.ingest.info();
  }
}
