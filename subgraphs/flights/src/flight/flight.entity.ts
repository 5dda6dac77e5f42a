import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { FlightStatus } from '../domain/cabin.ts';

/**
 * One dated departure. `departureTime` moves when the flight is delayed;
 * `scheduledDepartureTime` keeps what was published. Only SCHEDULED, DELAYED and CANCELLED are
 * stored: boarding, departed and arrived follow from the clock (domain/flight-status.ts).
 */
export const Flight = defineEntity({
  name: 'Flight',
  tableName: 'flight',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    number: p.string().length(8),
    /** Local date at the origin: with `number`, the flight's natural key. */
    departureDate: p.date(),
    routeId: p.string().length(7),
    origin: p.string().length(3),
    destination: p.string().length(3),
    aircraftCode: p.string().length(4),
    scheduledDepartureTime: p.datetime(),
    departureTime: p.datetime(),
    arrivalTime: p.datetime(),
    status: p.enum(Object.values(FlightStatus)).default(FlightStatus.SCHEDULED),
    gate: p.string().length(8).nullable(),
    delayReason: p.string().length(500).nullable(),
    cancellationReason: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** A loaded flight row. */
export type FlightEntity = InferEntity<typeof Flight>;
