import type { EntityManager, Logger, MikroORM } from '@airline/shared';
import type { Contact, ContactsPort } from '../clients/customers-client.ts';
import type { FlightDetails, FlightDetailsPort } from '../clients/flights-client.ts';
import type { BookedTraveller } from '../notification/notification.entity.ts';
import { queueNotifications } from '../notification/notification-store.ts';
import { preferencesOf } from '../notification/preferences.ts';
import { BookingState, Kind } from '../notification/vocabulary.ts';
import { refundTotals, requestMessage } from '../requests/message-requests.ts';
import { retryDelayMs, type RetrySchedule } from '../delivery/retry-schedule.ts';
import { WorkLoop } from '../work-loop.ts';
import {
  planMessages,
  type ComposePlan,
  type DueRequest,
  type KnownBooking,
} from './compose-plan.ts';
import type { MessageTemplates } from './templates.ts';

/** Tuning of the composer. */
export interface ComposerOptions {
  /** Requests composed per pass (their contacts and flights are fetched in one call each). */
  batchSize: number;
  pollMs: number;
  /** How long a claimed request is reserved for this composer. */
  leaseMs: number;
  reminderHoursBefore: number;
  /** Backoff while customers or flights cannot answer. */
  retry: Pick<RetrySchedule, 'baseDelayMs' | 'factor' | 'maxDelayMs'>;
  now: () => Date;
}

/** What the composer reads from other services. */
export interface ComposerPorts {
  contacts: ContactsPort;
  flights: FlightDetailsPort;
}

interface RequestRow {
  id: string;
  kind: Kind;
  booking_id: string;
  customer_id: string;
  flight_id: string;
  facts: Record<string, unknown>;
  attempts: number;
  lease_until: Date;
}

interface BookingRow {
  booking_id: string;
  reference: string;
  status: BookingState;
  passengers: BookedTraveller[];
  total_minor: number | null;
  currency: string | null;
}

/**
 * Turns due requests into queued messages: claims a batch (SKIP LOCKED, with a lease), asks
 * customers for the contacts and flights for the flights of the whole batch with no transaction
 * open, renders each message, and queues them with the request's new state in one transaction
 * per request. If customers or flights cannot answer, the batch waits and is tried again later:
 * a booking never waits for its messages.
 */
export class Composer {
  readonly #orm: Pick<MikroORM, 'em'>;
  readonly #ports: ComposerPorts;
  readonly #templates: MessageTemplates;
  readonly #options: ComposerOptions;
  readonly #logger: Logger;
  readonly #loop: WorkLoop;
  readonly #onQueued: () => void;

  constructor(
    orm: Pick<MikroORM, 'em'>,
    ports: ComposerPorts,
    templates: MessageTemplates,
    options: ComposerOptions,
    logger: Logger,
    onQueued: () => void,
  ) {
    this.#orm = orm;
    this.#ports = ports;
    this.#templates = templates;
    this.#options = options;
    this.#logger = logger.child({ component: 'composer' });
    this.#onQueued = onQueued;
    this.#loop = new WorkLoop('composer', () => this.composeDue(), options.pollMs, this.#logger);
  }

  start(): void {
    this.#loop.start();
  }

  kick(): void {
    this.#loop.kick();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Composes one batch of due requests; true when there was any. */
  async composeDue(): Promise<boolean> {
    const em = this.#orm.em.fork();
    const claimed = await this.#claim(em);
    if (!claimed.length) return false;
    const customerIds = unique(claimed.map((r) => r.customer_id));
    const bookingIds = unique(claimed.map((r) => r.booking_id));
    let contacts: Map<string, Contact>;
    let flights: Map<string, FlightDetails>;
    try {
      // No transaction is open here: other services are asked with nothing of ours locked.
      const [c, f] = await Promise.all([
        this.#ports.contacts.contacts(customerIds),
        this.#ports.flights.flightDetails(unique(claimed.map((r) => r.flight_id))),
      ]);
      contacts = new Map(c.map((x) => [x.id, x]));
      flights = new Map(f.map((x) => [x.id, x]));
    } catch (err) {
      await this.#postpone(em, claimed, err);
      return false;
    }
    const [bookings, preferences, refunds] = await Promise.all([
      this.#bookings(em, bookingIds),
      preferencesOf(em, customerIds),
      refundTotals(em, bookingIds),
    ]);
    const now = this.#options.now();
    let queued = 0;
    for (const row of claimed) {
      const request: DueRequest = {
        id: row.id,
        kind: row.kind,
        bookingId: row.booking_id,
        customerId: row.customer_id,
        flightId: row.flight_id,
        facts: row.facts,
      };
      let plan: ComposePlan;
      try {
        plan = planMessages(
          {
            request,
            booking: bookings.get(row.booking_id),
            contact: contacts.get(row.customer_id),
            flight: flights.get(row.flight_id),
            preferences: preferences.get(row.customer_id)!,
            refunds: refunds.get(row.booking_id) ?? new Map(),
            now,
            reminderHoursBefore: this.#options.reminderHoursBefore,
          },
          this.#templates,
        );
      } catch (err) {
        // A template or data problem: retrying later (after a fix) beats losing the message.
        await this.#postpone(em, [row], err);
        continue;
      }
      queued += await this.#apply(row, request, plan);
    }
    if (queued) this.#onQueued();
    return true;
  }

  async #claim(em: EntityManager): Promise<RequestRow[]> {
    const leaseUntil = new Date(Date.now() + this.#options.leaseMs);
    // compose claim: due waiting requests nobody holds, soonest first.
    return em.execute<RequestRow[]>(
      `WITH due AS (
         SELECT id FROM message_request
          WHERE state = 'WAITING' AND due_at <= now()
            AND (lease_until IS NULL OR lease_until < now())
          ORDER BY due_at
          LIMIT ?
          FOR UPDATE SKIP LOCKED)
       UPDATE message_request r SET attempts = r.attempts + 1, lease_until = ?, updated_at = now()
         FROM due WHERE r.id = due.id
       RETURNING r.id, r.kind, r.booking_id, r.customer_id, r.flight_id, r.facts, r.attempts,
                 r.lease_until`,
      [this.#options.batchSize, leaseUntil],
    );
  }

  async #bookings(em: EntityManager, ids: string[]): Promise<Map<string, KnownBooking>> {
    const rows = await em.execute<BookingRow[]>(
      `SELECT booking_id, reference, status, passengers, total_minor, currency
         FROM booking_copy WHERE booking_id IN (?)`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.booking_id,
        {
          reference: r.reference,
          status: r.status,
          passengers: r.passengers,
          totalMinor: r.total_minor,
          currency: r.currency,
        },
      ]),
    );
  }

  /** Applies a plan in one transaction, if this composer's claim still holds; returns messages queued. */
  async #apply(row: RequestRow, request: DueRequest, plan: ComposePlan): Promise<number> {
    return this.#orm.em.fork().transactional(async (em) => {
      const fence = [row.id, row.lease_until];
      if (plan.action === 'drop') {
        await em.execute(
          `UPDATE message_request SET state = 'DROPPED', last_error = ?, lease_until = NULL,
                  updated_at = now() WHERE id = ? AND lease_until = ?`,
          [plan.why, ...fence],
        );
        this.#logger.info({ requestId: row.id, kind: row.kind, why: plan.why }, 'message dropped');
        return 0;
      }
      if (plan.action === 'reschedule') {
        await em.execute(
          `UPDATE message_request SET due_at = ?, last_error = ?, lease_until = NULL,
                  updated_at = now() WHERE id = ? AND lease_until = ?`,
          [plan.dueAt, plan.why, ...fence],
        );
        return 0;
      }
      const done = await em.execute<{ id: string }[]>(
        `UPDATE message_request SET state = 'COMPOSED', last_error = NULL, lease_until = NULL,
                updated_at = now() WHERE id = ? AND lease_until = ? RETURNING id`,
        fence,
      );
      // Another composer took it over after this one's lease ran out: it composes it.
      if (!done.length) return 0;
      if (plan.reminderAt && (await this.#stillConfirmed(em, request.bookingId)))
        await requestMessage(em, {
          kind: Kind.FLIGHT_REMINDER,
          bookingId: request.bookingId,
          customerId: request.customerId,
          flightId: request.flightId,
          facts: {},
          dueAt: plan.reminderAt,
          dedupeKey: `${Kind.FLIGHT_REMINDER}:${request.bookingId}`,
        });
      return queueNotifications(em, plan.messages);
    });
  }

  /**
   * Whether the booking is still confirmed, waiting for a cancellation being recorded right now
   * (FOR SHARE): a reminder is never scheduled after the cancellation that should drop it.
   */
  async #stillConfirmed(em: EntityManager, bookingId: string): Promise<boolean> {
    const rows = await em.execute<{ status: string }[]>(
      'SELECT status FROM booking_copy WHERE booking_id = ? FOR SHARE',
      [bookingId],
    );
    return rows[0]?.status === BookingState.CONFIRMED;
  }

  /** Gives claimed requests back with a later due time (customers or flights did not answer). */
  async #postpone(em: EntityManager, rows: RequestRow[], err: unknown): Promise<void> {
    const attempts = Math.max(...rows.map((r) => r.attempts));
    const dueAt = new Date(
      Date.now() + retryDelayMs(attempts, { ...this.#options.retry, maxAttempts: 0 }),
    );
    this.#logger.warn(
      { err, requests: rows.length, attempts, retryAt: dueAt.toISOString() },
      'could not compose messages; trying again later',
    );
    await em.execute(
      `UPDATE message_request SET due_at = ?, last_error = ?, lease_until = NULL,
              updated_at = now() WHERE id IN (?) AND state = 'WAITING'`,
      [dueAt, String((err as Error).message ?? err).slice(0, 1000), rows.map((r) => r.id)],
    );
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
