import {
  ADVISORY_LOCKS,
  databaseName,
  enqueue,
  SingletonLock,
  type Config,
  type EntityManager,
  type Logger,
  type MikroORM,
  type PaymentRecord,
  type ServiceTokens,
} from '@airline/shared';
import type { BookingLifecycle } from '../booking/booking-lifecycle.ts';
import { BookingStatus, SagaStep } from '../booking/booking-status.ts';
import { Booking, type BookingEntity } from '../booking/booking.entity.ts';
import { bookingStore } from '../booking/booking-store.ts';
import {
  PaymentRecordsClient,
  type PaymentRecordsPort,
} from '../clients/payment-records-client.ts';
import {
  confirmSeatsCommand,
  refundCommand,
  remedyFor,
  type ReconciledBooking,
  type Remedy,
} from './reconciliation.ts';

/** What the reconciler needs. */
export interface SagaReconcilerOptions {
  orm: Pick<MikroORM, 'em'>;
  lifecycle: BookingLifecycle;
  payments: PaymentRecordsPort;
  /** One replica sweeps at a time. */
  lock: Pick<SingletonLock, 'runExclusive' | 'close'>;
  logger: Logger;
  /** A saga that has not moved for this long is stuck. */
  stuckAfterMs: number;
  intervalMs: number;
  /** How far back ended bookings are checked against payments' records (default 7 days). */
  lookbackMs?: number;
  /** Bookings looked at per sweep and kind. */
  batchSize?: number;
}

/** What one sweep did. */
export interface ReconcileReport {
  looked: number;
  /** Inputs fed to the booking machine (a payment's result, a request that never arrived). */
  applied: number;
  /** ConfirmSeats sent again. */
  confirmationsResent: number;
  /** RefundPayment sent for money that should have been given back. */
  refundsSent: number;
  verified: number;
  waiting: number;
}

const ENDED = [
  BookingStatus.CONFIRMED,
  BookingStatus.CANCELLED,
  BookingStatus.EXPIRED,
  BookingStatus.PAYMENT_FAILED,
];

/**
 * Settles bookings whose saga stopped moving (a message dead-lettered or lost, a process killed
 * between two steps) from the source of truth instead of waiting forever:
 *
 * - PAYMENT_PENDING waiting for the payment: payments' record of the payment is its result;
 * - HELD with a payment request out for too long: payments took it (its record is the answer)
 *   or never will (the booking is payable again, or expires);
 * - PAYMENT_PENDING confirming seats: ConfirmSeats again, flights answers from its inventory;
 * - ended (or confirmed) with a payment: any money payments holds that the booking should not
 *   keep is refunded; once everything agrees the booking is remembered as verified.
 *
 * Remote calls happen with no row lock held; each remedy is then applied in a transaction with
 * the booking row locked, only if the booking has not moved meanwhile, and through the booking
 * machine like any other input. One replica sweeps at a time (`lock`); everything it sends is
 * idempotent on the receiving side, so a sweep repeated after a crash is harmless.
 */
export class SagaReconciler {
  readonly #o: Required<SagaReconcilerOptions>;
  readonly #log: Logger;
  /** When a command was last sent again for a booking or payment: not more than once per `stuckAfterMs`. */
  readonly #sent = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<ReconcileReport> | undefined;
  #stopped = true;

  constructor(options: SagaReconcilerOptions) {
    this.#o = { lookbackMs: 7 * 24 * 60 * 60 * 1000, batchSize: 50, ...options };
    this.#log = options.logger.child({ component: 'saga-reconciler' });
  }

  /** Sweeps every interval, in the background. */
  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Stops sweeping, waiting for a sweep in progress, and releases the lock's connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#sweeping?.catch(() => undefined);
    await this.#o.lock.close();
  }

  /** One sweep now (or the one running); skipped (all zeros) while another replica sweeps. */
  sweep(): Promise<ReconcileReport> {
    this.#sweeping ??= this.#sweepExclusive().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.sweep()
        .then((r) => {
          if (r.applied || r.confirmationsResent || r.refundsSent)
            this.#log.warn(r, 'stuck sagas settled');
        })
        .catch((err: unknown) => this.#log.warn({ err }, 'saga reconciliation sweep failed'))
        .finally(() => this.#schedule());
    }, this.#o.intervalMs);
    this.#timer.unref();
  }

  async #sweepExclusive(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      looked: 0,
      applied: 0,
      confirmationsResent: 0,
      refundsSent: 0,
      verified: 0,
      waiting: 0,
    };
    await this.#o.lock.runExclusive(async () => {
      for (const booking of await this.#candidates()) {
        if (this.#stopped) break;
        report.looked++;
        try {
          await this.#reconcile(booking, report);
        } catch (err) {
          // payments or the database away: this booking waits for the next sweep.
          this.#log.warn({ err, bookingId: booking.id }, 'could not reconcile a booking yet');
        }
      }
    });
    const forgetBefore = Date.now() - 10 * this.#o.stuckAfterMs;
    for (const [key, at] of this.#sent) if (at < forgetBefore) this.#sent.delete(key);
    return report;
  }

  /** Stuck sagas, then ended bookings with a payment not yet checked at their current status. */
  async #candidates(): Promise<BookingEntity[]> {
    const em = this.#o.orm.em.fork();
    const now = Date.now();
    const stuckBefore = new Date(now - this.#o.stuckAfterMs);
    const stuck = await em.find(
      Booking,
      {
        $or: [
          { status: BookingStatus.PAYMENT_PENDING, updatedAt: { $lt: stuckBefore } },
          { status: BookingStatus.HELD, paymentRequestedAt: { $lt: stuckBefore } },
        ],
      },
      { orderBy: { updatedAt: 'asc' }, limit: this.#o.batchSize },
    );
    const unverified = await em.execute<{ id: string }[]>(
      `select b.id from booking b
         left join saga_reconciliation r on r.booking_id = b.id and r.status_version = b.status_version
        where r.booking_id is null
          and b.status in (${ENDED.map(() => '?').join(', ')})
          and b.payment_request_key is not null
          and b.updated_at < ? and b.updated_at > ?
        order by b.updated_at
        limit ?`,
      [...ENDED, stuckBefore, new Date(now - this.#o.lookbackMs), this.#o.batchSize],
    );
    const ended = unverified.length
      ? await em.find(Booking, { id: { $in: unverified.map((r) => r.id) } })
      : [];
    return [...stuck, ...ended];
  }

  async #reconcile(booking: BookingEntity, report: ReconcileReport): Promise<void> {
    const seen: ReconciledBooking = { ...booking };
    // Asked with no transaction open: payments may be slow or away.
    const records: PaymentRecord[] =
      booking.status === BookingStatus.PAYMENT_PENDING &&
      booking.sagaStep === SagaStep.CONFIRMING_SEATS
        ? []
        : await this.#o.payments.paymentsOf(booking.id);
    const remedy = remedyFor(seen, records);
    if (remedy.kind === 'wait') {
      report.waiting++;
      this.#log.debug({ bookingId: booking.id, why: remedy.why }, 'stuck saga: waiting');
      return;
    }
    if (remedy.kind !== 'verified' && this.#sentRecently(remedy, seen)) {
      report.waiting++;
      return;
    }
    await this.#o.orm.em.fork().transactional(async (tx) => {
      const current = await bookingStore.lock(tx, booking.id);
      // Moved since it was read: the saga is alive; the next sweep looks again if need be.
      if (!current || current.statusVersion !== seen.statusVersion) return;
      if (current.updatedAt.getTime() !== booking.updatedAt.getTime()) return;
      await this.#apply(tx, current, remedy, report);
    });
  }

  async #apply(
    tx: EntityManager,
    booking: BookingEntity,
    remedy: Exclude<Remedy, { kind: 'wait' }>,
    report: ReconcileReport,
  ): Promise<void> {
    const log = { bookingId: booking.id, status: booking.status };
    switch (remedy.kind) {
      case 'apply': {
        const decision = await this.#o.lifecycle.apply(tx, booking, remedy.input);
        if (decision.outcome === 'applied') report.applied++;
        this.#log.warn(
          { ...log, input: remedy.input.type, outcome: decision.outcome, why: remedy.why },
          'stuck saga: applied from payments’ records',
        );
        return;
      }
      case 'confirm-seats': {
        enqueue(tx, confirmSeatsCommand(booking, await bookingStore.seats(tx, booking.id)));
        this.#sent.set(`confirm:${booking.id}`, Date.now());
        report.confirmationsResent++;
        this.#log.warn({ ...log, why: remedy.why }, 'stuck saga: ConfirmSeats sent again');
        return;
      }
      case 'refund': {
        for (const payment of remedy.payments) {
          enqueue(tx, refundCommand(booking, payment, remedy.why));
          this.#sent.set(`refund:${payment.paymentId}`, Date.now());
          report.refundsSent++;
        }
        this.#log.warn(
          { ...log, payments: remedy.payments.map((p) => p.paymentId), why: remedy.why },
          'stuck saga: money given back',
        );
        return;
      }
      case 'verified': {
        await tx.execute(
          `insert into saga_reconciliation (booking_id, status_version) values (?, ?)
           on conflict (booking_id) do update
             set status_version = excluded.status_version, verified_at = now()`,
          [booking.id, booking.statusVersion],
        );
        report.verified++;
      }
    }
  }

  /** A command sent again less than `stuckAfterMs` ago is still on its way: not sent twice. */
  #sentRecently(remedy: Exclude<Remedy, { kind: 'wait' }>, booking: ReconciledBooking): boolean {
    const since = Date.now() - this.#o.stuckAfterMs;
    const keys =
      remedy.kind === 'confirm-seats'
        ? [`confirm:${booking.id}`]
        : remedy.kind === 'refund'
          ? remedy.payments.map((p) => `refund:${p.paymentId}`)
          : [];
    return keys.length > 0 && keys.every((k) => (this.#sent.get(k) ?? 0) > since);
  }
}

/** The reconciler of a bookings process, as the configuration describes it (`config.saga`). */
export function sagaReconciler(
  config: Config,
  deps: {
    orm: Pick<MikroORM, 'em'>;
    lifecycle: BookingLifecycle;
    logger: Logger;
    serviceTokens: ServiceTokens;
  },
): SagaReconciler {
  return new SagaReconciler({
    ...deps,
    payments: new PaymentRecordsClient(config.internalUrls.payments, deps.serviceTokens),
    lock: new SingletonLock(
      `${config.postgresUrl}/${databaseName(config, 'bookings')}`,
      ADVISORY_LOCKS.sagaReconciler,
    ),
    stuckAfterMs: config.saga.stuckAfterMs,
    intervalMs: config.saga.reconcileIntervalMs,
  });
}
