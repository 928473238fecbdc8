import { runServiceMain } from '@lakestream/nest-common';
import { startIngestService } from './start';

runServiceMain('ingest', () => startIngestService());
