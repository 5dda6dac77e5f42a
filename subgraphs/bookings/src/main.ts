import { runService } from '@airline/shared';
import { startBookings } from './service.ts';

await runService('bookings', startBookings);
