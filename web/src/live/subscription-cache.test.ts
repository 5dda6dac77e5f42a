// Bookings and flights are normalized (Booking:<id>, Flight:<id>): a bookingStatusChanged or
// flightStatusChanged message written by Apollo updates every query showing that booking or
// flight, with no code of ours in between. These tests run the real client over a fake link.
import { ApolloClient, ApolloLink } from '@apollo/client';
import { OperationTypeNode } from 'graphql';
import { Observable, Subject } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { createCache } from '../apollo/cache.ts';
import { BookingQuery, BookingStatusChangedSubscription } from '../graphql/bookings.ts';
import { FlightStatusChangedSubscription } from '../graphql/flights.ts';

const airport = (code: string, timeZone: string) => ({
  __typename: 'Airport',
  code,
  name: `${code} airport`,
  city: code,
  country: 'US',
  timeZone,
});

const flight = (changes: Record<string, unknown> = {}) => ({
  __typename: 'Flight',
  id: 'f1',
  number: 'AS101',
  origin: airport('JFK', 'America/New_York'),
  destination: airport('BOS', 'America/New_York'),
  departureTime: '2030-01-14T08:35:00-05:00',
  arrivalTime: '2030-01-14T09:40:00-05:00',
  scheduledDepartureTime: '2030-01-14T08:35:00-05:00',
  durationMinutes: 65,
  status: 'SCHEDULED',
  gate: 'B12',
  delayReason: null,
  cancellationReason: null,
  aircraft: { __typename: 'Aircraft', code: 'A320', name: 'Airbus A320-200' },
  ...changes,
});

const money = (amount: string) => ({ __typename: 'Money', amount, currency: 'USD' });

const booking = (changes: Record<string, unknown> = {}) => ({
  __typename: 'Booking',
  id: 'b1',
  reference: 'K7QX2M',
  status: 'PAYMENT_PENDING',
  holdExpiresAt: '2030-01-01T10:10:00Z',
  statusReason: null,
  paymentError: null,
  totalPrice: money('129.00'),
  passengers: [
    {
      __typename: 'BookedPassenger',
      givenName: 'Ada',
      familyName: 'Lovelace',
      seat: '12A',
      ticketNumber: null,
      price: money('129.00'),
    },
  ],
  flight: flight(),
  createdAt: '2030-01-01T10:00:00Z',
  payment: null,
  ...changes,
});

/** A client whose queries answer `queryData` and whose subscriptions emit what the test pushes. */
function clientWith(queryData: Record<string, unknown>) {
  const live = new Subject<ApolloLink.Result>();
  const link = new ApolloLink((operation) =>
    operation.operationType === OperationTypeNode.SUBSCRIPTION
      ? live.asObservable()
      : new Observable((observer) => {
          observer.next({ data: queryData });
          observer.complete();
        }),
  );
  return { client: new ApolloClient({ link, cache: createCache() }), live };
}

/** Waits until the watched query's latest result satisfies `done`. */
async function until<T>(latest: () => T | undefined, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = latest();
    if (value !== undefined && done(value)) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never reached; last ${JSON.stringify(latest())}`);
}

describe('live updates in the cache', () => {
  test('bookingStatusChanged turns the booking page CONFIRMED with its e-tickets', async () => {
    const { client, live } = clientWith({ booking: booking() });
    let latest: { booking: ReturnType<typeof booking> | null } | undefined;
    const page = client
      .watchQuery({ query: BookingQuery, variables: { id: 'b1' } })
      .subscribe((r) => {
        if (r.data) latest = r.data as typeof latest;
      });
    await until(
      () => latest,
      (d) => d.booking?.status === 'PAYMENT_PENDING',
    );
    const stream = client
      .subscribe({ query: BookingStatusChangedSubscription, variables: { bookingId: 'b1' } })
      .subscribe(() => {});

    const paid = booking({
      status: 'CONFIRMED',
      holdExpiresAt: null,
      passengers: [
        {
          __typename: 'BookedPassenger',
          givenName: 'Ada',
          familyName: 'Lovelace',
          seat: '12A',
          ticketNumber: '9990001000000',
          price: money('129.00'),
        },
      ],
    });
    live.next({ data: { bookingStatusChanged: paid } });

    const shown = await until(
      () => latest,
      (d) => d.booking?.status === 'CONFIRMED',
    );
    expect(shown.booking!.passengers[0]!.ticketNumber).toBe('9990001000000');
    expect(shown.booking!.holdExpiresAt).toBeNull();
    stream.unsubscribe();
    page.unsubscribe();
  });

  test('a failed payment brings the booking back to HELD with its error, and the next payment clears it', async () => {
    const { client, live } = clientWith({ booking: booking() });
    let latest: { booking: ReturnType<typeof booking> | null } | undefined;
    const page = client
      .watchQuery({ query: BookingQuery, variables: { id: 'b1' } })
      .subscribe((r) => {
        if (r.data) latest = r.data as typeof latest;
      });
    await until(
      () => latest,
      (d) => d.booking !== null,
    );
    const stream = client
      .subscribe({ query: BookingStatusChangedSubscription, variables: { bookingId: 'b1' } })
      .subscribe(() => {});

    const declined = {
      __typename: 'PaymentError',
      code: 'PAYMENT_DECLINED',
      message: 'The card was declined',
    };
    live.next({
      data: { bookingStatusChanged: booking({ status: 'HELD', paymentError: declined }) },
    });
    const held = await until(
      () => latest,
      (d) => d.booking?.status === 'HELD',
    );
    expect(held.booking!.paymentError).toEqual(declined);

    live.next({
      data: { bookingStatusChanged: booking({ status: 'PAYMENT_PENDING', paymentError: null }) },
    });
    const pending = await until(
      () => latest,
      (d) => d.booking?.status === 'PAYMENT_PENDING',
    );
    expect(pending.booking!.paymentError).toBeNull();
    stream.unsubscribe();
    page.unsubscribe();
  });

  test('flightStatusChanged moves the departure shown on a booking of that flight', async () => {
    const { client, live } = clientWith({ booking: booking({ status: 'CONFIRMED' }) });
    let latest: { booking: ReturnType<typeof booking> | null } | undefined;
    const page = client
      .watchQuery({ query: BookingQuery, variables: { id: 'b1' } })
      .subscribe((r) => {
        if (r.data) latest = r.data as typeof latest;
      });
    await until(
      () => latest,
      (d) => d.booking !== null,
    );
    const stream = client
      .subscribe({ query: FlightStatusChangedSubscription, variables: { flightId: 'f1' } })
      .subscribe(() => {});

    live.next({
      data: {
        flightStatusChanged: flight({
          status: 'DELAYED',
          departureTime: '2030-01-14T09:20:00-05:00',
          arrivalTime: '2030-01-14T10:25:00-05:00',
          delayReason: 'Late inbound aircraft',
        }),
      },
    });

    const shown = await until(
      () => latest,
      (d) => d.booking?.flight?.status === 'DELAYED',
    );
    expect(shown.booking!.flight).toMatchObject({
      departureTime: '2030-01-14T09:20:00-05:00',
      scheduledDepartureTime: '2030-01-14T08:35:00-05:00',
      delayReason: 'Late inbound aircraft',
    });
    stream.unsubscribe();
    page.unsubscribe();
  });
});
