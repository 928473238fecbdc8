import { describeServiceWithoutDependencies } from '@lakestream/testkit';
import { startIngestService } from './index';

describeServiceWithoutDependencies('ingest', startIngestService);
