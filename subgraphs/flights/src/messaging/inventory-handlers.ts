import { z } from 'zod';
import {
  enqueue,
  payloadOf,
  newEvent,
  type HandlerMap,
  type Message,
  type TransactionContext,
} from '@airline/shared';
import { confirmSeats, endBooking, releaseSeats } from '../inventory/seat-inventory.ts';
import { markSearchChanged } from '../search/search-changes.ts';

const bookingId = z.string().min(1).max(64);
const seatList = z.array(z.string().min(1).max(4)).min(1).max(50);
const seatRequest = z.object({ bookingId, flightId: z.string().min(1).max(64), seats: seatList });
const bookingOnFlight = z.object({ bookingId, flightId: z.string().min(1).max(64) });

/**
 * The saga's commands to the inventory: ConfirmSeats answers with SeatsConfirmed or
 * SeatsRejected through the outbox, in the same transaction as the seat rows; ReleaseSeats
 * frees the booking's seats and answers nothing.
 */
export function commandHandlers(now: () => Date): HandlerMap<TransactionContext> {
  return {
    ConfirmSeats: async (command, { em }) => {
      const request = payloadOf(seatRequest, command);
      const outcome = await confirmSeats(em, request, now());
      const correlationId = command.correlationId ?? request.bookingId;
      const base = { bookingId: request.bookingId, flightId: request.flightId };
      enqueue(
        em,
        outcome.confirmed
          ? newEvent(
              'SeatsConfirmed',
              request.bookingId,
              { ...base, seats: outcome.seats },
              correlationId,
            )
          : newEvent(
              'SeatsRejected',
              request.bookingId,
              { ...base, seats: outcome.seats, reason: outcome.reason },
              correlationId,
            ),
      );
      if (outcome.confirmed) await markSearchChanged(em, [request.flightId]);
    },
    ReleaseSeats: async (command, { em }) => {
      const request = payloadOf(seatRequest, command);
      if (await releaseSeats(em, request)) await markSearchChanged(em, [request.flightId]);
    },
  };
}

/**
 * Booking events that change what a flight has to sell: holds appear (created) or become
 * bookings (confirmed), and ended bookings give their seats back. Holds live in Redis, so the
 * first two only refresh search; the last two free the inventory too.
 */
export function bookingEventHandlers(): HandlerMap<TransactionContext> {
  const holdsChanged = async (event: Message, { em }: TransactionContext) => {
    await markSearchChanged(em, [payloadOf(bookingOnFlight, event).flightId]);
  };
  const ended = async (event: Message, { em }: TransactionContext) => {
    const booking = payloadOf(bookingOnFlight, event);
    await endBooking(em, booking);
    await markSearchChanged(em, [booking.flightId]);
  };
  return {
    BookingCreated: holdsChanged,
    BookingConfirmed: holdsChanged,
    BookingCancelled: ended,
    BookingExpired: ended,
  };
}
