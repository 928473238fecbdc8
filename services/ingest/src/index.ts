export { startIngestService, INGEST_VERSION } from './start';
export { AppModule } from './app.module';
export { IngestModule } from './ingest/ingest.module';
export type { IngestInfo } from './ingest/ingest.service';
