import type { CommandEnvelope, EventEnvelope, Message } from '@airline/shared';
import {
  decide,
  MAX_PAYMENT_FAILURES,
  PAYMENT_REQUEST_GRACE_MS,
  type BookingInput,
  type BookingState,
  type Decision,
} from './booking-machine.ts';
import { canTransition, type BookingStatus } from './booking-status.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

const held: BookingState = {
  id: 'b-1',
  reference: 'K7QX2M',
  customerId: 'c-1',
  flightId: 'f-1',
  status: 'HELD',
  statusVersion: 1,
  sagaStep: null,
  totalMinor: 20_000,
  currency: 'USD',
  holdExpiresAt: minutes(5),
  paymentId: null,
  paymentIdempotencyKey: null,
  paymentRequestKey: null,
  paymentRequestedAt: null,
  paidMinor: null,
  paidCurrency: null,
  paymentFailures: 0,
  paymentErrorCode: null,
  paymentErrorMessage: null,
  statusReason: null,
  passengers: [
    { givenName: 'Ada', familyName: 'Lovelace', seat: '12A', ticketNumber: null },
    { givenName: 'Bea', familyName: 'Lovelace', seat: '12B', ticketNumber: null },
  ],
};

// The booking at each point of its life the machine must tell apart.
const requesting: BookingState = {
  ...held,
  paymentIdempotencyKey: 'key-1',
  paymentRequestKey: 'rk-1',
  paymentRequestedAt: NOW,
};
const awaiting: BookingState = {
  ...requesting,
  status: 'PAYMENT_PENDING',
  statusVersion: 2,
  sagaStep: 'AWAITING_PAYMENT',
  paymentId: 'p-1',
  paymentRequestedAt: null,
};
const failedOnce: BookingState = {
  ...held,
  statusVersion: 3,
  paymentIdempotencyKey: 'key-1',
  paymentRequestKey: 'rk-1',
  paymentId: 'p-1',
  paymentFailures: 1,
  paymentErrorCode: 'PAYMENT_DECLINED',
  paymentErrorMessage: 'The card was declined',
};
const confirming: BookingState = {
  ...awaiting,
  sagaStep: 'CONFIRMING_SEATS',
  paidMinor: 20_000,
  paidCurrency: 'USD',
  holdExpiresAt: null,
};
const confirmed: BookingState = {
  ...confirming,
  status: 'CONFIRMED',
  statusVersion: 3,
  sagaStep: null,
  passengers: held.passengers.map((p, i) => ({ ...p, ticketNumber: `999000000000${i}` })),
};
const ended = (status: 'CANCELLED' | 'EXPIRED' | 'PAYMENT_FAILED'): BookingState => ({
  ...held,
  status,
  statusVersion: 2,
  holdExpiresAt: null,
});

const result = (over: Partial<{ paymentId: string; idempotencyKey: string }> = {}) => ({
  paymentId: 'p-1',
  bookingId: 'b-1',
  customerId: 'c-1',
  amount: { amountMinor: 20_000, currency: 'USD' },
  idempotencyKey: 'rk-1',
  messageId: 'm-1',
  ...over,
});
const inputs = {
  StartPayment: { type: 'StartPayment', customerKey: 'key-2', requestKey: 'rk-2' },
  PaymentAccepted: { type: 'PaymentAccepted', requestKey: 'rk-1', paymentId: 'p-1' },
  PaymentCompleted: { type: 'PaymentCompleted', result: result() },
  PaymentFailed: {
    type: 'PaymentFailed',
    result: { ...result(), code: 'card_declined', reason: 'The card was declined' },
  },
  SeatsConfirmed: {
    type: 'SeatsConfirmed',
    seats: ['12A', '12B'],
    ticketNumbers: ['9990000000011', '9990000000012'],
  },
  SeatsRejected: { type: 'SeatsRejected', reason: 'taken' },
  CancelBooking: { type: 'CancelBooking', cause: 'CUSTOMER', reason: null },
  ExpireHold: { type: 'ExpireHold' },
} satisfies Record<string, BookingInput>;

const types = (d: Decision) =>
  d.outcome === 'refused' ? [] : d.messages.map((m: Message) => m.type);
const outcome = (state: BookingState, input: BookingInput, now = NOW): string => {
  const d = decide(state, input, now);
  if (d.outcome !== 'applied') return d.outcome;
  return ['applied', ...d.statuses, ...(d.releaseHolds ? ['release'] : []), ...types(d)].join(' ');
};

describe('the booking transition function, state by input', () => {
  // What each input does at each point of a booking's life. "refused": the state machine does
  // not allow it (nothing changes, nothing is sent); "unchanged": a duplicate or a late message,
  // answered at most with a compensation.
  const table: [string, BookingState, Record<keyof typeof inputs, string>][] = [
    [
      'HELD',
      held,
      {
        StartPayment: 'applied',
        PaymentAccepted: 'refused',
        PaymentCompleted: 'unchanged',
        PaymentFailed: 'unchanged',
        SeatsConfirmed: 'refused',
        SeatsRejected: 'refused',
        CancelBooking: 'applied CANCELLED release BookingCancelled',
        ExpireHold: 'refused',
      },
    ],
    [
      'HELD with a payment request out',
      requesting,
      {
        StartPayment: 'refused',
        PaymentAccepted: 'applied PAYMENT_PENDING',
        PaymentCompleted: 'applied PAYMENT_PENDING ConfirmSeats',
        PaymentFailed: 'applied',
        SeatsConfirmed: 'refused',
        SeatsRejected: 'refused',
        CancelBooking: 'applied CANCELLED release BookingCancelled',
        ExpireHold: 'refused',
      },
    ],
    [
      'HELD after a failed payment',
      failedOnce,
      {
        StartPayment: 'applied',
        PaymentAccepted: 'unchanged',
        PaymentCompleted: 'unchanged',
        PaymentFailed: 'unchanged',
        SeatsConfirmed: 'refused',
        SeatsRejected: 'refused',
        CancelBooking: 'applied CANCELLED release BookingCancelled',
        ExpireHold: 'refused',
      },
    ],
    [
      'PAYMENT_PENDING awaiting the payment',
      awaiting,
      {
        StartPayment: 'refused',
        PaymentAccepted: 'unchanged',
        PaymentCompleted: 'applied ConfirmSeats',
        PaymentFailed: 'applied HELD',
        SeatsConfirmed: 'refused',
        SeatsRejected: 'refused',
        CancelBooking: 'applied CANCELLED release BookingCancelled',
        ExpireHold: 'refused',
      },
    ],
    [
      'PAYMENT_PENDING confirming the seats',
      confirming,
      {
        StartPayment: 'refused',
        PaymentAccepted: 'unchanged',
        PaymentCompleted: 'unchanged',
        PaymentFailed: 'unchanged',
        SeatsConfirmed: 'applied CONFIRMED release BookingConfirmed',
        SeatsRejected: 'applied CANCELLED release RefundPayment BookingCancelled',
        CancelBooking: 'applied CANCELLED release RefundPayment BookingCancelled',
        ExpireHold: 'refused',
      },
    ],
    [
      'CONFIRMED',
      confirmed,
      {
        StartPayment: 'refused',
        PaymentAccepted: 'unchanged',
        PaymentCompleted: 'unchanged',
        PaymentFailed: 'unchanged',
        SeatsConfirmed: 'unchanged',
        SeatsRejected: 'refused',
        CancelBooking: 'applied CANCELLED release ReleaseSeats RefundPayment BookingCancelled',
        ExpireHold: 'refused',
      },
    ],
    ...(['CANCELLED', 'EXPIRED', 'PAYMENT_FAILED'] as const).map(
      (status) =>
        [
          status,
          ended(status),
          {
            StartPayment: 'refused',
            PaymentAccepted: 'refused',
            PaymentCompleted: 'unchanged',
            PaymentFailed: 'unchanged',
            SeatsConfirmed: 'unchanged',
            SeatsRejected: 'unchanged',
            CancelBooking: status === 'CANCELLED' ? 'unchanged' : 'refused',
            ExpireHold: 'refused',
          },
        ] as [string, BookingState, Record<keyof typeof inputs, string>],
    ),
  ];

  describe.each(table)('%s', (_label, state, expected) => {
    test.each(Object.keys(inputs) as (keyof typeof inputs)[])('%s', (name) => {
      const input = inputs[name];
      // A PaymentCompleted/Failed only matches the request the booking made.
      const fitted: BookingInput =
        'result' in input && state.paymentRequestKey === null
          ? ({ ...input, result: { ...input.result, idempotencyKey: 'rk-x' } } as BookingInput)
          : input;
      expect(outcome(state, fitted)).toBe(expected[name]);
    });
  });

  test('an applied decision only takes steps the state machine allows; a refused one changes and sends nothing', () => {
    const states = table.map(([, state]) => state);
    for (const state of states) {
      for (const input of Object.values(inputs)) {
        const d = decide(state, input, NOW);
        if (d.outcome === 'refused') {
          expect(Object.keys(d)).toEqual(expect.not.arrayContaining(['messages', 'changes']));
          continue;
        }
        if (d.outcome !== 'applied') continue;
        let from: BookingStatus = state.status;
        for (const to of d.statuses) {
          expect([from, to, canTransition(from, to)]).toEqual([from, to, true]);
          from = to;
        }
      }
    }
  });
});

describe('paying again after a failed payment', () => {
  const failed = (state: BookingState, now = NOW) =>
    decide(state, inputs.PaymentFailed, now) as Extract<Decision, { outcome: 'applied' }>;

  test('a decline while the hold lasts: HELD, seats still held, holdExpiresAt unchanged, the failure shown', () => {
    const d = failed(awaiting);
    expect(d.statuses).toEqual(['HELD']);
    expect(d.releaseHolds).toBe(false);
    expect(d.changes).not.toHaveProperty('holdExpiresAt');
    expect(d.changes).toMatchObject({
      paymentFailures: 1,
      paymentErrorCode: 'PAYMENT_DECLINED',
      paymentErrorMessage: 'The card was declined',
      sagaStep: null,
    });
  });

  test('the provider unavailable is PAYMENT_UNAVAILABLE', () => {
    const d = decide(
      awaiting,
      {
        ...inputs.PaymentFailed,
        result: { ...inputs.PaymentFailed.result, code: 'provider_unavailable' },
      },
      NOW,
    ) as Extract<Decision, { outcome: 'applied' }>;
    expect(d.changes.paymentErrorCode).toBe('PAYMENT_UNAVAILABLE');
  });

  test('another key starts a new attempt: new request key, the failed payment forgotten', () => {
    const d = decide(failedOnce, inputs.StartPayment, NOW);
    expect(d).toMatchObject({
      outcome: 'applied',
      statuses: [],
      changes: {
        paymentIdempotencyKey: 'key-2',
        paymentRequestKey: 'rk-2',
        paymentRequestedAt: NOW,
        paymentId: null,
      },
      requestPayment: { reservedAt: NOW },
    });
  });

  test('the same key as the failed attempt is answered with the booking as it is, never charged again', () => {
    expect(decide(failedOnce, { ...inputs.StartPayment, customerKey: 'key-1' }, NOW)).toMatchObject(
      {
        outcome: 'unchanged',
      },
    );
  });

  test(`the ${MAX_PAYMENT_FAILURES}rd failure ends the booking PAYMENT_FAILED and releases the seats`, () => {
    const d = failed({ ...awaiting, paymentFailures: MAX_PAYMENT_FAILURES - 1 });
    expect(d.statuses).toEqual(['PAYMENT_FAILED']);
    expect(d.releaseHolds).toBe(true);
    expect(d.changes).toMatchObject({ paymentFailures: MAX_PAYMENT_FAILURES, holdExpiresAt: null });
    expect(d.changes.statusReason).toMatch(/card_declined/);
  });

  test('a failure after the hold lapsed ends the booking PAYMENT_FAILED', () => {
    const d = failed(awaiting, minutes(6));
    expect(d.statuses).toEqual(['PAYMENT_FAILED']);
    expect(d.releaseHolds).toBe(true);
  });

  test('a failure that overtook payments’ answer: still HELD; as the final one, PAYMENT_PENDING then PAYMENT_FAILED', () => {
    expect(failed(requesting).statuses).toEqual([]);
    expect(failed({ ...requesting, paymentFailures: 2 }).statuses).toEqual([
      'PAYMENT_PENDING',
      'PAYMENT_FAILED',
    ]);
  });
});

describe('compensations: each step the booking got through is undone, last first', () => {
  test('cancelling a confirmed booking releases its inventory seats, refunds what was paid, and says so', () => {
    const d = decide(confirmed, inputs.CancelBooking, NOW) as Extract<
      Decision,
      { outcome: 'applied' }
    >;
    const [release, refund, cancelled] = d.messages as [
      CommandEnvelope<'ReleaseSeats'>,
      CommandEnvelope<'RefundPayment'>,
      EventEnvelope<'BookingCancelled'>,
    ];
    expect(release.payload).toMatchObject({ bookingId: 'b-1', seats: ['12A', '12B'] });
    expect(refund.payload).toMatchObject({ paymentId: 'p-1', amount: null });
    expect(cancelled.payload).toMatchObject({
      paymentId: 'p-1',
      refund: { amountMinor: 20_000, currency: 'USD' },
    });
  });

  test('a payment that completes for an ended booking is refunded at once', () => {
    for (const status of ['CANCELLED', 'EXPIRED', 'PAYMENT_FAILED'] as const) {
      const d = decide(
        { ...ended(status), paymentRequestKey: 'rk-1' },
        inputs.PaymentCompleted,
        NOW,
      );
      expect([status, d.outcome, types(d)]).toEqual([status, 'unchanged', ['RefundPayment']]);
    }
  });

  test('seats confirmed for an ended booking are released', () => {
    const d = decide(ended('CANCELLED'), inputs.SeatsConfirmed, NOW);
    if (d.outcome !== 'unchanged') throw new Error(`expected unchanged, got ${d.outcome}`);
    expect((d.messages[0] as CommandEnvelope<'ReleaseSeats'>).payload.seats).toEqual([
      '12A',
      '12B',
    ]);
  });

  test('a cancellation after the payment was refunded with it is not refunded twice', () => {
    const cancelledPaid: BookingState = { ...confirming, status: 'CANCELLED', sagaStep: null };
    expect(decide(cancelledPaid, inputs.PaymentCompleted, NOW).outcome).toBe('unchanged');
    expect(types(decide(cancelledPaid, inputs.PaymentCompleted, NOW))).toEqual([]);
  });
});

describe('hold expiry', () => {
  test('a lapsed hold expires; one whose payment request is out waits for the grace period', () => {
    expect(outcome(held, inputs.ExpireHold, minutes(6))).toBe(
      'applied EXPIRED release BookingExpired',
    );
    const sentAt = minutes(5.5);
    const out = { ...requesting, paymentRequestedAt: sentAt };
    expect(outcome(out, inputs.ExpireHold, minutes(6))).toBe('refused');
    expect(
      outcome(out, inputs.ExpireHold, new Date(sentAt.getTime() + PAYMENT_REQUEST_GRACE_MS)),
    ).toBe('applied EXPIRED release BookingExpired');
  });

  test('a pending payment is not expired under it', () => {
    expect(outcome(awaiting, inputs.ExpireHold, minutes(60))).toBe('refused');
  });
});
