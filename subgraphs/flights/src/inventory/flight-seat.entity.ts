import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A seat of a flight that is not free: BOOKED by one booking, or BLOCKED. A seat without a row
 * is available; the primary key (flight, seat) is what makes a double booking impossible. Rows
 * are written with the labelled SQL in seat-inventory.ts, never through the unit of work.
 */
export const FlightSeat = defineEntity({
  name: 'FlightSeat',
  tableName: 'flight_seat',
  properties: {
    flightId: p.uuid().primary(),
    seatNumber: p.string().length(4).primary(),
    aircraftCode: p.string().length(4),
    status: p.enum(['BOOKED', 'BLOCKED'] as const),
    bookingId: p.string().length(64).nullable(),
    blockedReason: p.string().length(100).nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
/** A loaded inventory row. */
export type FlightSeatEntity = InferEntity<typeof FlightSeat>;
