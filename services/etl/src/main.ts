import { runServiceMain } from '@lakestream/nest-common';
import { startEtlService } from './start';

runServiceMain('etl', () => startEtlService());
