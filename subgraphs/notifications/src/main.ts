import { runService } from '@airline/shared';
import { startNotifications } from './service.ts';

await runService('notifications', (config) => startNotifications(config));
