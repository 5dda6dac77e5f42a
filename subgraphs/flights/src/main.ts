import { runService } from '@airline/shared';
import { startFlights } from './service.ts';

// A month of schedule on a fresh database; FLIGHTS_SEED_DAYS=0 starts with no flights.
const seedDays = Number(process.env.FLIGHTS_SEED_DAYS ?? 30);
if (!Number.isInteger(seedDays) || seedDays < 0 || seedDays > 366) {
  console.error('flights: FLIGHTS_SEED_DAYS must be a whole number from 0 to 366');
  process.exit(1);
}

await runService('flights', (config) => startFlights(config, { seedDays }));
