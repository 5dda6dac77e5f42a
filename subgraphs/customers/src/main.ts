import { runService } from '@airline/shared';
import { startCustomers } from './service.ts';

await runService('customers', startCustomers);
