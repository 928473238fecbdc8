import { describeServiceWithoutDependencies } from '@lakestream/testkit';
import { startEtlService } from './index';

describeServiceWithoutDependencies('etl', startEtlService);
