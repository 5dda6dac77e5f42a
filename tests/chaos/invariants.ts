// What must hold once a chaos scenario has settled, each read from its source of truth: bookings'
// and flights' databases, the payment provider simulator's own records, the broker.
import pg from 'pg';
import { pino } from 'pino';
import {
  AmqpConnection,
  DeadLetterQueue,
  databaseName,
  SERVICES,
  type Config,
  type ServiceName,
} from '@airline/shared';
import { moneyViolations } from '../testkit/money.ts';
import type { LoadResult } from './load.ts';

/** Where a booking ends: nothing changes it any more. */
export const TERMINAL = ['CONFIRMED', 'CANCELLED', 'EXPIRED', 'PAYMENT_FAILED'] as const;

/** The invariants, by name, each with its violations (empty: it holds). */
export type InvariantReport = Record<InvariantName, string[]>;
export type InvariantName =
  'terminal' | 'seats' | 'money' | 'deadLetters' | 'outbox' | 'acknowledged';

/** Reads the stack's databases and broker over a few long-lived connections (the server's are shared). */
export class StackReader {
  readonly config: Config;
  readonly #pools = new Map<ServiceName, pg.Pool>();
  #amqp: Promise<AmqpConnection> | undefined;

  constructor(config: Config) {
    this.config = config;
  }

  async query<T extends object>(service: ServiceName, sql: string): Promise<T[]> {
    let pool = this.#pools.get(service);
    if (!pool) {
      pool = new pg.Pool({
        connectionString: `${this.config.postgresUrl}/${databaseName(this.config, service)}`,
        max: 1,
        idleTimeoutMillis: 5_000,
      });
      // An idle connection the server dropped is replaced on the next query.
      pool.on('error', () => undefined);
      this.#pools.set(service, pool);
    }
    return (await pool.query<T>(sql)).rows;
  }

  deadLetters(): Promise<DeadLetterQueue> {
    this.#amqp ??= AmqpConnection.connect(this.config, pino({ level: 'silent' }), {
      name: 'chaos-check',
    });
    return this.#amqp.then((amqp) => new DeadLetterQueue(amqp));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.end()));
    this.#pools.clear();
    await (await this.#amqp?.catch(() => undefined))?.close();
  }
}

interface BookingSeat {
  id: string;
  status: string;
  saga_step: string | null;
  flight_id: string;
  seat: string;
}

/** Bookings with their seats, as bookings recorded them. */
async function bookingSeats(reader: StackReader): Promise<BookingSeat[]> {
  return reader.query<BookingSeat>(
    'bookings',
    `select b.id, b.status, b.saga_step, b.flight_id, p.seat
       from booking b join booking_passenger p on p.booking_id = b.id`,
  );
}

/** Final status of every booking. */
export async function bookingStatuses(reader: StackReader): Promise<Map<string, string>> {
  const rows = await reader.query<{ id: string; status: string }>(
    'bookings',
    'select id, status from booking',
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}

function terminal(rows: BookingSeat[]): string[] {
  const stuck = new Map<string, string>();
  for (const r of rows)
    if (!(TERMINAL as readonly string[]).includes(r.status))
      stuck.set(
        r.id,
        `booking ${r.id} is still ${r.status}${r.saga_step ? ` (${r.saga_step})` : ''}`,
      );
  return [...stuck.values()];
}

async function seats(reader: StackReader, rows: BookingSeat[]): Promise<string[]> {
  const booked = await reader.query<{ flight_id: string; seat_number: string; booking_id: string }>(
    'flights',
    `select flight_id, seat_number, booking_id from flight_seat where status = 'BOOKED'`,
  );
  const inventory = new Map(booked.map((b) => [`${b.flight_id}/${b.seat_number}`, b.booking_id]));
  const status = new Map(rows.map((r) => [r.id, r.status]));
  const problems: string[] = [];
  const confirmedBySeat = new Map<string, string[]>();
  for (const r of rows.filter((r) => r.status === 'CONFIRMED')) {
    const key = `${r.flight_id}/${r.seat}`;
    confirmedBySeat.set(key, [...(confirmedBySeat.get(key) ?? []), r.id]);
    const holder = inventory.get(key);
    if (holder !== r.id)
      problems.push(
        `confirmed booking ${r.id} does not hold seat ${key} (holder: ${holder ?? 'none'})`,
      );
  }
  for (const [key, ids] of confirmedBySeat)
    if (ids.length > 1)
      problems.push(`seat ${key} is in ${ids.length} confirmed bookings: ${ids.join(', ')}`);
  for (const [key, holder] of inventory) {
    const s = status.get(holder);
    if (s !== 'CONFIRMED')
      problems.push(`seat ${key} is booked for booking ${holder}, which is ${s ?? 'unknown'}`);
  }
  return problems;
}

async function deadLetters(reader: StackReader): Promise<string[]> {
  const letters = await (await reader.deadLetters()).list();
  return letters.map(
    (l) => `dead letter ${l.type} ${l.id} in ${l.consumer}: ${l.reason}: ${l.error}`,
  );
}

async function outbox(reader: StackReader): Promise<string[]> {
  const problems: string[] = [];
  for (const service of SERVICES) {
    const rows = await reader
      .query<{ pending: string }>(
        service,
        'select count(*) as pending from outbox where published_at is null',
      )
      .catch((err: { code?: string }) => {
        // A service without an outbox table has nothing to drain.
        if (err.code === '42P01' || err.code === '3D000') return [{ pending: '0' }];
        throw err;
      });
    if (rows[0]?.pending !== '0')
      problems.push(`${service} outbox has ${rows[0]?.pending} unpublished messages`);
  }
  return problems;
}

/** What a client was told must still be true: a crash may not undo an acknowledged answer. */
function acknowledged(load: LoadResult, rows: BookingSeat[]): string[] {
  const status = new Map(rows.map((r) => [r.id, r.status]));
  const problems: string[] = [];
  for (const b of load.bookings.values()) {
    const final = status.get(b.id);
    if (!final) {
      problems.push(`booking ${b.id} was acknowledged (${b.seen[0]}) but does not exist`);
      continue;
    }
    const cancelled = b.cancelRequested || load.flightCancelRequested.has(b.flightId);
    if (
      b.seen.includes('CONFIRMED') &&
      final !== 'CONFIRMED' &&
      !(final === 'CANCELLED' && cancelled)
    )
      problems.push(`booking ${b.id} was acknowledged CONFIRMED but ended ${final}`);
    if (b.cancelAcknowledged && final !== 'CANCELLED')
      problems.push(`booking ${b.id} was acknowledged CANCELLED but ended ${final}`);
  }
  return problems;
}

/**
 * Checks every invariant once. A check that cannot run (the harness's own connection failing) is
 * reported as a violation of its invariant, so settling waits for it instead of giving up.
 */
export async function checkInvariants(
  reader: StackReader,
  load: LoadResult,
): Promise<InvariantReport> {
  const attempt = async (check: () => Promise<string[]>) => {
    try {
      return await check();
    } catch (err) {
      return [`could not check: ${(err as Error).message}`];
    }
  };
  let rows: BookingSeat[] | undefined;
  const read = () => {
    if (!rows) throw new Error('the bookings could not be read');
    return rows;
  };
  const terminalViolations = await attempt(async () =>
    terminal((rows = await bookingSeats(reader))),
  );
  return {
    terminal: terminalViolations,
    seats: await attempt(() => seats(reader, read())),
    money: await attempt(() => moneyViolations(reader.config)),
    deadLetters: await attempt(() => deadLetters(reader)),
    outbox: await attempt(() => outbox(reader)),
    acknowledged: await attempt(async () => acknowledged(load, read())),
  };
}

/** True when nothing is violated. */
export const holds = (report: InvariantReport): boolean =>
  Object.values(report).every((v) => !v.length);
