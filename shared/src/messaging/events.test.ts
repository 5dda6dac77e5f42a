import {
  COMMAND_CATALOGUE,
  EVENT_CATALOGUE,
  EXCHANGES,
  newCommand,
  newEvent,
  routeOf,
} from './events.ts';
import {
  cappedRetryPolicy,
  commandBindings,
  DEFAULT_RETRY,
  eventBindings,
  queueTopology,
  retryDelays,
} from './topology.ts';

describe('event catalogue', () => {
  it('newEvent builds a versioned envelope with a fresh uuid and the routing of its type', () => {
    const a = newEvent(
      'GateChanged',
      'flight-1',
      { flightId: 'flight-1', number: 'AB123', oldGate: 'A1', newGate: 'B7' },
      'corr-1',
    );
    const b = newEvent('GateChanged', 'flight-1', {
      flightId: 'flight-1',
      number: 'AB123',
      oldGate: 'B7',
      newGate: 'C2',
    });

    expect(a).toMatchObject({
      type: 'GateChanged',
      version: 1,
      aggregateId: 'flight-1',
      correlationId: 'corr-1',
    });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
    expect(new Date(a.occurredAt).toISOString()).toBe(a.occurredAt);
    expect('correlationId' in b).toBe(false);
    expect(routeOf(a)).toEqual({ exchange: EXCHANGES.flight, routingKey: 'GateChanged' });
  });

  it('commands go to the exchange of the service that executes them', () => {
    const refund = newCommand('RefundPayment', 'booking-1', {
      paymentId: 'p-1',
      bookingId: 'booking-1',
      customerId: 'c-1',
      amount: { amountMinor: 12900, currency: 'EUR' },
      reason: 'cancelled',
    });
    expect(routeOf(refund)).toEqual({ exchange: 'commands', routingKey: 'RefundPayment' });
    expect(routeOf({ type: 'SendNotification' })).toEqual({
      exchange: EXCHANGES.notification,
      routingKey: 'SendNotification',
    });
    expect(
      commandBindings('payments')
        .map((b) => b.routingKey)
        .sort(),
    ).toEqual(['RefundPayment']);
    expect(COMMAND_CATALOGUE.ConfirmSeats.service).toBe('flights');
  });

  it('an unknown type cannot be routed', () => {
    expect(() => routeOf({ type: 'SeatsTeleported' })).toThrow(
      /unknown message type SeatsTeleported/,
    );
  });

  it('every DESIGN §3 event is in the catalogue on its domain exchange', () => {
    expect(Object.keys(EVENT_CATALOGUE).sort()).toEqual(
      [
        'BookingCancelled',
        'BookingConfirmed',
        'BookingCreated',
        'BookingExpired',
        // Every status transition, for live booking status.
        'BookingStatusChanged',
        'FlightCancelled',
        'FlightDelayed',
        'GateChanged',
        'PaymentCompleted',
        'PaymentFailed',
        'PaymentRefunded',
        // The saga's seat-confirmation replies from flights.
        'SeatsConfirmed',
        'SeatsRejected',
      ].sort(),
    );
    expect(eventBindings('BookingCreated', 'PaymentFailed', 'FlightCancelled')).toEqual([
      { exchange: 'booking.events', routingKey: 'BookingCreated' },
      { exchange: 'payment.events', routingKey: 'PaymentFailed' },
      { exchange: 'flight.events', routingKey: 'FlightCancelled' },
    ]);
  });
});

describe('retry topology', () => {
  it('grows the delay per level and names each retry queue after its delay', () => {
    expect(retryDelays({ retries: 4, baseDelayMs: 100, factor: 3 })).toEqual([100, 300, 900, 2700]);
    expect(retryDelays({ retries: 0, baseDelayMs: 100 })).toEqual([]);
    expect(queueTopology('t.', 'notifications.events', { retries: 2, baseDelayMs: 50 })).toEqual({
      work: 't.notifications.events',
      dlq: 't.notifications.events.dlq',
      deadLetters: 't.dead-letters',
      retries: [
        { name: 't.notifications.events.retry.50ms', delayMs: 50 },
        { name: 't.notifications.events.retry.100ms', delayMs: 100 },
      ],
    });
  });

  it('caps the delay: capped levels share one queue, and the ladder ends exactly at the cap', () => {
    expect(retryDelays({ retries: 5, baseDelayMs: 100, factor: 3, maxDelayMs: 1_000 })).toEqual([
      100, 300, 900, 1_000,
    ]);
    const policy = cappedRetryPolicy({ baseDelayMs: 250, maxDelayMs: 2_000, retryForMs: 60_000 });
    expect(retryDelays(policy)).toEqual([250, 750, 2_000]);
    expect(policy.retryForMs).toBe(60_000);
    expect(retryDelays(DEFAULT_RETRY).at(-1)).toBe(300_000);
  });
});
