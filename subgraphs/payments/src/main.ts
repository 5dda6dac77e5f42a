import { runService } from '@airline/shared';
import { startPayments } from './service.ts';

await runService('payments', startPayments);
