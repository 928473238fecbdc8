import { describeServiceWithoutDependencies } from '@lakestream/testkit';
import { startDashboardService } from './index';

describeServiceWithoutDependencies('dashboard', startDashboardService);
