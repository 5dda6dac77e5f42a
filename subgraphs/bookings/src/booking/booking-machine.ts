// The booking's one transition function. Every change of a booking, whoever asks for it (the
// mutations, the saga's consumers, the expiry sweeper, a flight cancellation), is decided here:
// given the booking as it stands and one command or event, `decide` returns the next state and
// the messages to send, or refuses what the state machine does not allow. It is pure (no I/O,
// the clock comes in as `now`); `BookingLifecycle` applies its decisions in a transaction.
import {
  ErrorCode,
  newCommand,
  newEvent,
  type CancellationCause,
  type Message,
} from '@airline/shared';
import {
  BookingStatus,
  canTransition,
  isTerminal,
  PaymentErrorCode,
  SagaStep,
} from './booking-status.ts';
import type { BookingEntity, BookingPassengerEntity } from './booking.entity.ts';
import { matchPaymentResult, type Mismatch, type PaymentResult } from './payment-matching.ts';

/** Failed payments a booking may have; the last one ends it PAYMENT_FAILED. */
export const MAX_PAYMENT_FAILURES = 3;

/**
 * How long a payment request may be out before its booking is treated as not being paid: far
 * longer than the payments client waits for an answer. Within it, another key is refused and the
 * hold does not expire; after it (the process that sent the request died), both go ahead.
 */
export const PAYMENT_REQUEST_GRACE_MS = 60_000;

/** Fields as plain values: null, never undefined, for what a row may not have. */
type Settled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** A passenger as the machine reads it. */
export type PassengerState = Settled<
  Pick<BookingPassengerEntity, 'givenName' | 'familyName' | 'seat' | 'ticketNumber'>
>;

type BookingFields = Pick<
  BookingEntity,
  | 'id'
  | 'reference'
  | 'customerId'
  | 'flightId'
  | 'status'
  | 'statusVersion'
  | 'sagaStep'
  | 'totalMinor'
  | 'currency'
  | 'holdExpiresAt'
  | 'paymentId'
  | 'paymentIdempotencyKey'
  | 'paymentRequestKey'
  | 'paymentRequestedAt'
  | 'paidMinor'
  | 'paidCurrency'
  | 'paymentFailures'
  | 'paymentErrorCode'
  | 'paymentErrorMessage'
  | 'statusReason'
>;

/** The booking as the machine sees it: its row and its passengers. */
export type BookingState = Settled<BookingFields> & { passengers: readonly PassengerState[] };

/** The fields a decision may set (the status only moves through `statuses`). */
export type BookingChanges = Partial<
  Omit<
    BookingFields,
    'id' | 'reference' | 'customerId' | 'flightId' | 'status' | 'statusVersion' | 'totalMinor'
  >
>;

/** A payment result as the saga received it (PaymentCompleted / PaymentFailed). */
export interface ReceivedPaymentResult extends PaymentResult {
  /** The message's id, for the log line of a refused result. */
  messageId: string;
}

/** Everything that can happen to a booking: the commands of its users and the saga's events. */
export type BookingInput =
  /** createBooking stored the booking with its seats held: announce it (a new booking only). */
  | { type: 'HoldSeats' }
  /** payBooking, step 1: reserve the booking for a payment request under the customer's key. */
  | { type: 'StartPayment'; customerKey: string; requestKey: string }
  /** payBooking, step 3: payments took the request and stored the payment. */
  | { type: 'PaymentAccepted'; requestKey: string; paymentId: string }
  /** payBooking, step 3: payments could not take the request. */
  | { type: 'PaymentRequestFailed'; requestKey: string; reservedAt: Date | null }
  | { type: 'PaymentCompleted'; result: ReceivedPaymentResult }
  | { type: 'PaymentFailed'; result: ReceivedPaymentResult & { code: string; reason: string } }
  /** Flights booked the seats; `ticketNumbers` are fresh ones, one per passenger in order. */
  | { type: 'SeatsConfirmed'; seats: readonly string[]; ticketNumbers: readonly string[] }
  | { type: 'SeatsRejected'; reason: string }
  /** cancelBooking, or the airline cancelling the flight. */
  | { type: 'CancelBooking'; cause: CancellationCause; reason: string | null }
  /** The expiry sweeper found the hold due. */
  | { type: 'ExpireHold' };

/** A log line the applier writes with the decision (security events among them). */
export interface DecisionNote {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

/** payBooking must (re)send the payment request; `reservedAt` fences a reservation it made. */
export interface PaymentRequestOrder {
  reservedAt: Date | null;
}

/** What `decide` returns. */
export type Decision =
  | {
      outcome: 'applied';
      /** The status steps, in order, each one allowed by the state machine. */
      statuses: readonly BookingStatus[];
      changes: BookingChanges;
      /** Ticket numbers by seat, set on the passengers. */
      tickets: ReadonlyMap<string, string> | null;
      /** Release the booking's seat holds in Redis. */
      releaseHolds: boolean;
      messages: readonly Message[];
      requestPayment?: PaymentRequestOrder;
      note?: DecisionNote;
    }
  | {
      /** The booking stays as it is (a duplicate, a late result); `messages` may compensate. */
      outcome: 'unchanged';
      why: string;
      messages: readonly Message[];
      requestPayment?: PaymentRequestOrder;
      note?: DecisionNote;
    }
  | {
      /** The state machine does not allow it here: nothing changes, nothing is sent. */
      outcome: 'refused';
      why: string;
      /** What a client asking for it is told. */
      code: ErrorCode;
      field?: string;
    };

type Applied = Extract<Decision, { outcome: 'applied' }>;

const applied = (
  decision: Partial<Omit<Applied, 'outcome'>> & Pick<Applied, 'statuses'>,
): Applied => ({
  outcome: 'applied',
  changes: {},
  tickets: null,
  releaseHolds: false,
  messages: [],
  ...decision,
});

const unchanged = (
  why: string,
  extra: Partial<Omit<Extract<Decision, { outcome: 'unchanged' }>, 'outcome' | 'why'>> = {},
): Decision => ({ outcome: 'unchanged', why, messages: [], ...extra });

const refused = (why: string, code: ErrorCode = ErrorCode.BAD_USER_INPUT, field?: string) =>
  ({ outcome: 'refused', why, code, ...(field ? { field } : {}) }) as const satisfies Decision;

// ─── The saga, step by step ──────────────────────────────────────────────────────────────────
//
//   1. hold the seats            createBooking                    undo: release the holds
//   2. take the payment          payBooking -> PaymentCompleted   undo: RefundPayment
//   3. book the seats            ConfirmSeats -> SeatsConfirmed   undo: ReleaseSeats
//   4. issue tickets: CONFIRMED  (nothing to undo: tickets end with the booking)
//
// As in Temporal's saga sample, each step's compensation is registered beside it; a booking
// that ends early runs the compensations of the steps it got through, last step first. A step
// whose result arrives after the booking ended (a late payment, a late seat confirmation) is
// compensated at once.

interface SagaStepDefinition {
  name: string;
  /** Whether the booking has got through this step. */
  done(b: BookingState): boolean;
  /** What undoes it. */
  undo(b: BookingState, why: string): { releaseHolds?: boolean; messages?: Message[] };
}

const holdSeats: SagaStepDefinition = {
  name: 'hold the seats',
  done: () => true,
  undo: () => ({ releaseHolds: true }),
};

const takePayment: SagaStepDefinition = {
  name: 'take the payment',
  // Set only by a PaymentCompleted that matched the booking's own request.
  done: (b) => b.paidMinor !== null && b.paymentId !== null,
  undo: (b, why) => ({ messages: [refundPayment(b, b.paymentId!, b.customerId, why)] }),
};

const bookSeats: SagaStepDefinition = {
  name: "book the seats in flights' inventory",
  done: (b) => b.status === BookingStatus.CONFIRMED,
  undo: (b, why) => ({ messages: [releaseSeats(b, seatsOf(b), why)] }),
};

const SAGA: readonly SagaStepDefinition[] = [holdSeats, takePayment, bookSeats];

/** The compensations of every step the booking got through, last step first. */
function compensations(
  b: BookingState,
  why: string,
): { releaseHolds: boolean; messages: Message[] } {
  const undone = SAGA.filter((step) => step.done(b))
    .reverse()
    .map((step) => step.undo(b, why));
  return {
    releaseHolds: undone.some((u) => u.releaseHolds),
    messages: undone.flatMap((u) => u.messages ?? []),
  };
}

// ─── The transition function ─────────────────────────────────────────────────────────────────

/**
 * Decides what one command or event does to a booking. Every status step of an applied decision
 * is one the state machine allows (`canTransition`); anything else is refused, never half done.
 */
export function decide(b: BookingState, input: BookingInput, now: Date): Decision {
  const decision = decideFor(b, input, now);
  if (decision.outcome === 'applied') {
    let from: BookingStatus | null = b.statusVersion === 0 ? null : b.status;
    for (const to of decision.statuses) {
      if (from !== null && !canTransition(from, to))
        throw new Error(`booking machine bug: ${input.type} would move ${from} to ${to}`);
      from = to;
    }
  }
  return decision;
}

function decideFor(b: BookingState, input: BookingInput, now: Date): Decision {
  switch (input.type) {
    case 'HoldSeats':
      return onHoldSeats(b);
    case 'StartPayment':
      return onStartPayment(b, input, now);
    case 'PaymentAccepted':
      return onPaymentAccepted(b, input);
    case 'PaymentRequestFailed':
      return onPaymentRequestFailed(b, input);
    case 'PaymentCompleted':
      return onPaymentCompleted(b, input.result);
    case 'PaymentFailed':
      return onPaymentFailed(b, input.result, now);
    case 'SeatsConfirmed':
      return onSeatsConfirmed(b, input);
    case 'SeatsRejected':
      return onSeatsRejected(b, input.reason);
    case 'CancelBooking':
      return onCancel(b, input.cause, input.reason);
    case 'ExpireHold':
      return onExpireHold(b, now);
  }
}

// Step 1: the seats are held; the booking is announced HELD.
function onHoldSeats(b: BookingState): Decision {
  if (b.statusVersion !== 0) return refused(`booking ${b.id} exists already`);
  return applied({
    statuses: [BookingStatus.HELD],
    messages: [
      newEvent(
        'BookingCreated',
        b.id,
        {
          bookingId: b.id,
          reference: b.reference,
          customerId: b.customerId,
          flightId: b.flightId,
          seats: seatsOf(b),
          passengers: b.passengers.map(({ givenName, familyName, seat }) => ({
            givenName,
            familyName,
            seat,
          })),
          total: { amountMinor: b.totalMinor, currency: b.currency },
          holdExpiresAt: b.holdExpiresAt!.toISOString(),
        },
        b.id,
      ),
    ],
  });
}

// Step 2: take the payment. payBooking reserves the booking, asks payments with no lock held,
// then records what payments answered; the result arrives later as PaymentCompleted/Failed.

const requestOut = (b: BookingState, now: Date): boolean =>
  b.paymentRequestedAt !== null &&
  now.getTime() - b.paymentRequestedAt.getTime() < PAYMENT_REQUEST_GRACE_MS;

const holdLapsed = (b: BookingState, now: Date): boolean =>
  b.holdExpiresAt === null || b.holdExpiresAt.getTime() <= now.getTime();

function onStartPayment(
  b: BookingState,
  input: Extract<BookingInput, { type: 'StartPayment' }>,
  now: Date,
): Decision {
  const sameKey = b.paymentIdempotencyKey === input.customerKey;
  if (sameKey) {
    // The same key never starts a second payment: a retry gets the first attempt's answer.
    if (b.paymentId !== null || b.status !== BookingStatus.HELD)
      return unchanged('this payment key has had its answer');
    // A concurrent retry, or one whose first answer never came: ask payments again for the same.
    if (requestOut(b, now))
      return unchanged('the request under this key is out: sent again', {
        requestPayment: { reservedAt: null },
      });
  } else if (b.status === BookingStatus.HELD && requestOut(b, now)) {
    return refused(
      'bookingId: this booking is being paid with another payment',
      ErrorCode.BAD_USER_INPUT,
      'bookingId',
    );
  }
  if (b.status === BookingStatus.EXPIRED || (b.status === BookingStatus.HELD && holdLapsed(b, now)))
    return refused('The seat hold has expired: create a new booking', ErrorCode.HOLD_EXPIRED);
  if (b.status !== BookingStatus.HELD) {
    const why = b.paymentIdempotencyKey
      ? `bookingId: this booking is already ${b.status} with another payment`
      : `bookingId: a ${b.status} booking cannot be paid`;
    return refused(why, ErrorCode.BAD_USER_INPUT, 'bookingId');
  }
  // The same key after its request failed asks again under the same request key: if payments did
  // take that payment after all, it answers with it instead of charging a second time.
  const changes: BookingChanges =
    sameKey && b.paymentRequestKey
      ? { paymentRequestedAt: now }
      : {
          paymentIdempotencyKey: input.customerKey,
          paymentRequestKey: input.requestKey,
          paymentRequestedAt: now,
          // A new attempt: what an earlier, failed one was called no longer matches.
          paymentId: null,
        };
  return applied({ statuses: [], changes, requestPayment: { reservedAt: now } });
}

function onPaymentAccepted(
  b: BookingState,
  input: Extract<BookingInput, { type: 'PaymentAccepted' }>,
): Decision {
  if (
    b.paymentRequestKey !== input.requestKey ||
    (b.paymentId !== null && b.paymentId !== input.paymentId)
  ) {
    // Its result will not match the booking any more and is refunded when it comes.
    return refused(
      'Another payment attempt replaced this one; any money it took is given back: try again',
      ErrorCode.PAYMENT_UNAVAILABLE,
    );
  }
  if (b.paymentId !== null) return unchanged("the payment's result arrived first");
  if (b.status !== BookingStatus.HELD)
    return unchanged(`the booking became ${b.status} meanwhile; the payment's result will tell`);
  return applied({
    statuses: [BookingStatus.PAYMENT_PENDING],
    changes: {
      paymentId: input.paymentId,
      sagaStep: SagaStep.AWAITING_PAYMENT,
      paymentRequestedAt: null,
      // This attempt is the news now; an earlier failure is history (`Booking.payments`).
      paymentErrorCode: null,
      paymentErrorMessage: null,
    },
  });
}

function onPaymentRequestFailed(
  b: BookingState,
  input: Extract<BookingInput, { type: 'PaymentRequestFailed' }>,
): Decision {
  // Only the attempt that reserved the booking withdraws its reservation; the keys stay, so a
  // result of that request that arrives after all is still recognised as this booking's.
  const ours =
    input.reservedAt !== null &&
    b.paymentRequestedAt?.getTime() === input.reservedAt.getTime() &&
    b.paymentRequestKey === input.requestKey;
  if (!ours || b.paymentId !== null || b.status !== BookingStatus.HELD)
    return unchanged('the reservation is not this attempt’s any more');
  return applied({ statuses: [], changes: { paymentRequestedAt: null } });
}

function onPaymentCompleted(b: BookingState, result: ReceivedPaymentResult): Decision {
  const match = matchPaymentResult(b, result);
  if (!match.matches) {
    return unchanged('the payment is not the one bookings requested', {
      // Money taken for something bookings did not ask for goes back; not when the message
      // claims to be our own payment, whose genuine result must still be able to confirm.
      messages: match.claimsOurPayment ? [] : [refundUntrusted(result)],
      note: untrustedNote('PaymentCompleted', result, match.mismatches),
    });
  }
  if (takePayment.done(b) && b.paymentId === result.paymentId)
    return unchanged('this payment was applied already');
  if (isTerminal(b.status) || (b.status === BookingStatus.HELD && b.paymentId !== null)) {
    // The step completed after the booking ended (or after its attempt was recorded as failed):
    // compensate it at once.
    const why = `booking was ${b.status} when the payment completed`;
    return unchanged(why, {
      messages: [refundPayment(b, result.paymentId, result.customerId, why)],
      note: { level: 'warn', msg: 'payment completed for an ended booking: refunding' },
    });
  }
  // Still HELD: payments' answer to payBooking was lost (or is not recorded yet); the result
  // carries the request key back, which is enough to know it is ours.
  return applied({
    statuses: b.status === BookingStatus.HELD ? [BookingStatus.PAYMENT_PENDING] : [],
    changes: {
      sagaStep: SagaStep.CONFIRMING_SEATS,
      paymentId: result.paymentId,
      paidMinor: result.amount.amountMinor,
      paidCurrency: result.amount.currency,
      holdExpiresAt: null,
      paymentRequestedAt: null,
      paymentErrorCode: null,
      paymentErrorMessage: null,
    },
    // Step 3 starts: flights books the seats in its inventory.
    messages: [
      newCommand(
        'ConfirmSeats',
        b.id,
        { bookingId: b.id, flightId: b.flightId, seats: seatsOf(b) },
        b.id,
      ),
    ],
  });
}

function onPaymentFailed(
  b: BookingState,
  result: Extract<BookingInput, { type: 'PaymentFailed' }>['result'],
  now: Date,
): Decision {
  const match = matchPaymentResult(b, result);
  // A failure moved no money, so there is nothing to give back; and refunding on an untrusted
  // message could return a genuine payment.
  if (!match.matches)
    return unchanged('the payment is not the one bookings requested', {
      note: untrustedNote('PaymentFailed', result, match.mismatches),
    });
  if (isTerminal(b.status) || b.status === BookingStatus.CONFIRMED || takePayment.done(b))
    return unchanged(`a late failure: the booking is ${b.status}`);
  if (b.status === BookingStatus.HELD && b.paymentId !== null)
    return unchanged('this failure was applied already');

  const failures = b.paymentFailures + 1;
  const error = paymentErrorOf(result.code, result.reason);
  const recorded: BookingChanges = {
    paymentId: result.paymentId,
    sagaStep: null,
    paymentRequestedAt: null,
    paymentFailures: failures,
    paymentErrorCode: error.code,
    paymentErrorMessage: error.message,
  };
  const lapsed = holdLapsed(b, now);
  if (failures < MAX_PAYMENT_FAILURES && !lapsed) {
    // Another card may work: back to HELD, the seats still held until the hold lapses.
    return applied({
      statuses: b.status === BookingStatus.PAYMENT_PENDING ? [BookingStatus.HELD] : [],
      changes: recorded,
    });
  }
  const reason = lapsed
    ? `payment failed: ${result.code}, and the seat hold has expired`
    : `payment failed: ${result.code} (${failures} failed payments)`;
  const undo = compensations(b, reason);
  return applied({
    // A failure that overtook payments' answer to payBooking: the payment was pending all along.
    statuses:
      b.status === BookingStatus.HELD
        ? [BookingStatus.PAYMENT_PENDING, BookingStatus.PAYMENT_FAILED]
        : [BookingStatus.PAYMENT_FAILED],
    changes: { ...recorded, holdExpiresAt: null, statusReason: reason },
    releaseHolds: undo.releaseHolds,
    messages: undo.messages,
  });
}

// Step 3 and 4: flights books the seats; tickets are issued and the booking is CONFIRMED.
function onSeatsConfirmed(
  b: BookingState,
  input: Extract<BookingInput, { type: 'SeatsConfirmed' }>,
): Decision {
  if (b.status === BookingStatus.CONFIRMED) return unchanged('the booking is confirmed already');
  if (isTerminal(b.status)) {
    // Ended (e.g. its flight was cancelled) while flights was booking the seats: undo that.
    const why = `booking is ${b.status}`;
    return unchanged(why, { messages: [releaseSeats(b, input.seats, why)] });
  }
  if (b.sagaStep !== SagaStep.CONFIRMING_SEATS)
    return refused(`seats confirmed for a ${b.status} booking that has not paid`);
  if (input.ticketNumbers.length !== b.passengers.length)
    throw new Error(`${b.passengers.length} passengers, ${input.ticketNumbers.length} tickets`);
  const tickets = new Map(b.passengers.map((p, i) => [p.seat, input.ticketNumbers[i]!]));
  return applied({
    statuses: [BookingStatus.CONFIRMED],
    changes: { sagaStep: null, statusReason: null },
    tickets,
    // The seats are BOOKED in flights' inventory now; the Redis hold has done its job.
    releaseHolds: true,
    messages: [
      newEvent(
        'BookingConfirmed',
        b.id,
        {
          bookingId: b.id,
          reference: b.reference,
          customerId: b.customerId,
          flightId: b.flightId,
          seats: seatsOf(b),
          passengers: b.passengers.map((p) => ({
            givenName: p.givenName,
            familyName: p.familyName,
            seat: p.seat,
            ticketNumber: tickets.get(p.seat),
          })),
          total: { amountMinor: b.totalMinor, currency: b.currency },
          paymentId: b.paymentId!,
        },
        b.id,
      ),
    ],
  });
}

function onSeatsRejected(b: BookingState, reason: string): Decision {
  // Someone's expired hold was taken meanwhile: the booking cannot have its seats.
  if (b.sagaStep === SagaStep.CONFIRMING_SEATS)
    return cancel(b, 'SEAT_CONFIRMATION_FAILED', `seat confirmation failed: ${reason}`);
  if (isTerminal(b.status)) return unchanged(`a late rejection: the booking is ${b.status}`);
  return refused(`seats rejected for a ${b.status} booking that was not booking them`);
}

// The end of a booking before or after it was confirmed: by its customer or an agent, by the
// airline cancelling the flight, or by its hold lapsing.

function onCancel(b: BookingState, cause: CancellationCause, reason: string | null): Decision {
  if (b.status === BookingStatus.CANCELLED) return unchanged('the booking is cancelled already');
  if (isTerminal(b.status))
    return refused(
      `id: a ${b.status} booking has nothing left to cancel`,
      ErrorCode.BAD_USER_INPUT,
      'id',
    );
  return cancel(b, cause, reason);
}

function cancel(b: BookingState, cause: CancellationCause, reason: string | null): Decision {
  const undo = compensations(b, reason ?? cause);
  const paid = takePayment.done(b);
  return applied({
    statuses: [BookingStatus.CANCELLED],
    changes: {
      sagaStep: null,
      holdExpiresAt: null,
      paymentRequestedAt: null,
      statusReason: reason,
    },
    releaseHolds: undo.releaseHolds,
    messages: [
      ...undo.messages,
      newEvent(
        'BookingCancelled',
        b.id,
        {
          bookingId: b.id,
          reference: b.reference,
          customerId: b.customerId,
          flightId: b.flightId,
          seats: seatsOf(b),
          cause,
          reason,
          paymentId: paid ? b.paymentId : null,
          // What the matched PaymentCompleted took is what comes back, not what the booking priced.
          refund: paid
            ? { amountMinor: b.paidMinor!, currency: b.paidCurrency ?? b.currency }
            : null,
        },
        b.id,
      ),
    ],
  });
}

function onExpireHold(b: BookingState, now: Date): Decision {
  if (b.status !== BookingStatus.HELD)
    return refused(`a ${b.status} booking has no hold to expire`);
  if (!holdLapsed(b, now)) return refused('the hold has not lapsed yet');
  // Payments may be taking the money right now; the hold waits for the grace period.
  if (requestOut(b, now)) return refused('a payment request is out');
  const undo = compensations(b, 'the seat hold expired');
  return applied({
    statuses: [BookingStatus.EXPIRED],
    changes: {
      holdExpiresAt: null,
      paymentRequestedAt: null,
      statusReason: 'the seat hold expired before payment',
    },
    releaseHolds: undo.releaseHolds,
    messages: [
      ...undo.messages,
      newEvent(
        'BookingExpired',
        b.id,
        {
          bookingId: b.id,
          reference: b.reference,
          customerId: b.customerId,
          flightId: b.flightId,
          seats: seatsOf(b),
          holdExpiredAt: b.holdExpiresAt!.toISOString(),
        },
        b.id,
      ),
    ],
  });
}

// ─── Messages and small facts ────────────────────────────────────────────────────────────────

const seatsOf = (b: BookingState): string[] => b.passengers.map((p) => p.seat);

function refundPayment(
  b: Pick<BookingState, 'id'>,
  paymentId: string,
  customerId: string,
  reason: string,
): Message {
  return newCommand(
    'RefundPayment',
    b.id,
    // A full refund: payments gives back what it took, which is what the provider charged.
    { paymentId, bookingId: b.id, customerId, amount: null, reason },
    b.id,
  );
}

function releaseSeats(b: BookingState, seats: readonly string[], reason: string): Message {
  return newCommand(
    'ReleaseSeats',
    b.id,
    { bookingId: b.id, flightId: b.flightId, seats: [...seats], reason },
    b.id,
  );
}

/** Gives back a payment that no booking of ours asked for (a mismatch, an unknown booking). */
export function refundUntrusted(result: PaymentResult): Message {
  return refundPayment(
    { id: result.bookingId },
    result.paymentId,
    result.customerId,
    'the payment does not match what bookings requested for this booking',
  );
}

/** One line an alert can key on: which result, and exactly what did not match. */
export function untrustedNote(
  type: 'PaymentCompleted' | 'PaymentFailed',
  result: ReceivedPaymentResult,
  mismatches: Mismatch[],
): DecisionNote {
  return {
    level: 'error',
    msg: `${type} does not match the payment bookings requested: the booking is left unchanged`,
    fields: {
      securityEvent: true,
      type,
      messageId: result.messageId,
      bookingId: result.bookingId,
      paymentId: result.paymentId,
      mismatches,
    },
  };
}

// Payments' own codes say the provider could not be used; every other code is the provider's
// decline code passed through (card_declined, insufficient_funds, expired_card, ...).
const UNAVAILABLE_CODES = new Set([
  'provider_unavailable',
  'payment_interrupted',
  'idempotency_conflict',
  'unknown',
]);

/** What a customer is told about a failed payment. */
export function paymentErrorOf(
  code: string,
  reason: string,
): { code: PaymentErrorCode; message: string } {
  return {
    code: UNAVAILABLE_CODES.has(code)
      ? PaymentErrorCode.PAYMENT_UNAVAILABLE
      : PaymentErrorCode.PAYMENT_DECLINED,
    message: reason.slice(0, 500),
  };
}
