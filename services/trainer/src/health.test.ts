import { describeServiceWithoutDependencies } from '@lakestream/testkit';
import { startTrainerService } from './index';

describeServiceWithoutDependencies('trainer', startTrainerService);
