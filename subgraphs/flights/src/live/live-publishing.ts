import {
  LiveTopic,
  bindingsFor,
  dispatch,
  type LivePublisher,
  type SeatHolds,
  type ServiceMessaging,
  type TransactionContext,
} from '@airline/shared';
import { seatLayout } from '../domain/aircraft.ts';
import { selectFlight } from '../flight/flight-record.ts';
import { currentSeatStatuses } from './seat-statuses.ts';

/** The queue of events the flights subgraph turns into live messages (one replica handles each). */
export const LIVE_QUEUE = 'flights.live';

/** Why a flight's status message was sent (`flightStatusChanged`). */
export const FlightChange = {
  DELAYED: 'DELAYED',
  GATE_CHANGED: 'GATE_CHANGED',
  CANCELLED: 'CANCELLED',
} as const;
/** One reason for a flight status message. */
export type FlightChange = (typeof FlightChange)[keyof typeof FlightChange];

/**
 * Turns the outbox events that change a seat map or a flight into live messages on Redis, from
 * one durable queue, flights side by side and one message at a time per flight, so messages of
 * a flight leave in event order:
 *
 * - BookingCreated (seats held), SeatsConfirmed (booked), BookingCancelled / BookingExpired and
 *   ReleaseSeats (freed), BookingStatusChanged to PAYMENT_FAILED (freed; the event names no
 *   seats, so the whole flight is read): the seats' status is read from the inventory and Redis
 *   at that moment, and only what changed since the flight's last message is published, with
 *   the next version;
 * - FlightDelayed, GateChanged, FlightCancelled: a flight status message; subscribers read the
 *   flight itself, committed before the event left the outbox.
 *
 * No inbox: a redelivered seat event publishes nothing (Redis already has that state), and a
 * redelivered flight event at worst tells subscribers twice to read the flight again.
 */
export async function startLivePublishing(
  messaging: ServiceMessaging,
  publisher: LivePublisher,
  holds: SeatHolds,
): Promise<void> {
  const seatsChanged = async (
    { em }: TransactionContext,
    flightId: string,
    seats: string[],
    endedBooking?: string,
  ) => {
    const statuses = await currentSeatStatuses(em, holds, flightId, seats, endedBooking);
    await publisher.publishChanges(LiveTopic.SeatMap, flightId, statuses);
  };
  const wholeFlightChanged = async (ctx: TransactionContext, flightId: string, ended: string) => {
    const flight = await selectFlight(ctx.em, flightId);
    if (!flight) return;
    const seats = seatLayout(flight.aircraftCode).filter((s) => !s.blocked);
    await seatsChanged(
      ctx,
      flightId,
      seats.map((s) => s.number),
      ended,
    );
  };
  const flightChanged = (flightId: string, change: FlightChange) =>
    publisher.publish(LiveTopic.FlightStatus, flightId, { change }).then(() => {});

  await messaging.consume({
    queue: LIVE_QUEUE,
    bindings: bindingsFor(
      'BookingCreated',
      'SeatsConfirmed',
      'BookingCancelled',
      'BookingExpired',
      'ReleaseSeats',
      'BookingStatusChanged',
      'FlightDelayed',
      'GateChanged',
      'FlightCancelled',
    ),
    handler: dispatch<TransactionContext>({
      BookingCreated: (e, ctx) => seatsChanged(ctx, e.payload.flightId, e.payload.seats),
      SeatsConfirmed: (e, ctx) => seatsChanged(ctx, e.payload.flightId, e.payload.seats),
      BookingCancelled: (e, ctx) =>
        seatsChanged(ctx, e.payload.flightId, e.payload.seats, e.payload.bookingId),
      BookingExpired: (e, ctx) =>
        seatsChanged(ctx, e.payload.flightId, e.payload.seats, e.payload.bookingId),
      ReleaseSeats: (c, ctx) =>
        seatsChanged(ctx, c.payload.flightId, c.payload.seats, c.payload.bookingId),
      BookingStatusChanged: async (e, ctx) => {
        if (e.payload.status === 'PAYMENT_FAILED')
          await wholeFlightChanged(ctx, e.payload.flightId, e.payload.bookingId);
      },
      FlightDelayed: (e) => flightChanged(e.payload.flightId, FlightChange.DELAYED),
      GateChanged: (e) => flightChanged(e.payload.flightId, FlightChange.GATE_CHANGED),
      FlightCancelled: (e) => flightChanged(e.payload.flightId, FlightChange.CANCELLED),
    }),
    idempotent: true,
    concurrency: 4,
    prefetch: 16,
    orderingKey: (message) =>
      'flightId' in message.payload ? message.payload.flightId : message.aggregateId,
  });
}
