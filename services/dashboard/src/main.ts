import { runServiceMain } from '@lakestream/nest-common';
import { startDashboardService } from './start';

runServiceMain('dashboard', () => startDashboardService());
