import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  badInput,
  enqueue,
  newEvent,
  notFound,
  parseInput,
  type EntityManager,
} from '@airline/shared';
import { AIRCRAFT_TYPES } from '../domain/aircraft.ts';
import { distanceKmBetween, getAirport } from '../domain/airports.ts';
import { FlightStatus } from '../domain/cabin.ts';
import { closedReason } from '../domain/flight-status.ts';
import { defaultGate } from '../domain/gates.ts';
import { formatInZone, localDateInZone } from '../domain/zoned-time.ts';
import { markSearchChanged } from '../search/search-changes.ts';
import type { SearchProjector } from '../search/search-projector.ts';
import { ensureRoute } from '../seeding/reference-data.ts';
import { Flight, type FlightEntity } from './flight.entity.ts';
import { selectFlight, type FlightRecord } from './flight-record.ts';
import {
  cancelFlightInput,
  changeGateInput,
  delayFlightInput,
  scheduleFlightInput,
} from './flight.validation.ts';

/** The longest delay an agent can enter; anything later is a cancellation and a new flight. */
export const MAX_DELAY_HOURS = 72;
const HOUR_MS = 3_600_000;

const local = (instant: Date, airport: string) =>
  formatInZone(instant, getAirport(airport).timeZone);

/**
 * What airline staff do to the schedule: add a flight, delay it, move its gate, cancel it.
 * Each change and the event announcing it (FlightDelayed, GateChanged, FlightCancelled) commit
 * in one transaction through the outbox, with a note for the search projector. Callers check
 * that the user is an agent.
 */
export class FlightOperations {
  readonly #projector: SearchProjector;
  readonly #now: () => Date;

  constructor(projector: SearchProjector, now: () => Date) {
    this.#projector = projector;
    this.#now = now;
  }

  /** Adds a departure (its route is created if the network does not fly the pair yet). */
  async schedule(em: EntityManager, raw: unknown): Promise<FlightRecord> {
    const input = parseInput(scheduleFlightInput, raw);
    const now = this.#now();
    if (input.departureTime.getTime() <= now.getTime())
      throw badInput('departureTime: must be in the future', 'departureTime');
    const distanceKm = distanceKmBetween(input.origin, input.destination);
    if (input.aircraft && distanceKm > AIRCRAFT_TYPES[input.aircraft].rangeKm)
      throw badInput(
        `aircraft: the ${input.aircraft} cannot fly ${input.origin}-${input.destination} (${distanceKm} km)`,
        'aircraft',
      );
    const departureDate = localDateInZone(input.departureTime, getAirport(input.origin).timeZone);
    let id: string;
    try {
      id = await em.transactional(async (tx) => {
        const route = await ensureRoute(
          tx,
          input.origin,
          input.destination,
          input.aircraft ?? null,
        );
        if (distanceKm > AIRCRAFT_TYPES[route.aircraftCode].rangeKm)
          throw badInput(`aircraft: choose an aircraft that can fly ${distanceKm} km`, 'aircraft');
        const flight = tx.create(Flight, {
          number: input.number,
          departureDate,
          routeId: route.routeId,
          origin: input.origin,
          destination: input.destination,
          aircraftCode: route.aircraftCode,
          scheduledDepartureTime: input.departureTime,
          departureTime: input.departureTime,
          arrivalTime: new Date(input.departureTime.getTime() + route.blockMinutes * 60_000),
          status: FlightStatus.SCHEDULED,
          gate: input.gate ?? defaultGate(input.number, departureDate),
          delayReason: null,
          cancellationReason: null,
        });
        await tx.flush();
        // new flight inventory: the layout's blocked seats are never for sale.
        await tx.execute(
          `INSERT INTO flight_seat (flight_id, aircraft_code, seat_number, status, blocked_reason)
           SELECT ?, aircraft_code, seat_number, 'BLOCKED', blocked_reason
             FROM aircraft_seat WHERE aircraft_code = ? AND blocked`,
          [flight.id, flight.aircraftCode],
        );
        await markSearchChanged(tx, [flight.id]);
        return flight.id;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw badInput(`number: ${input.number} already departs on ${departureDate}`, 'number');
      throw err;
    }
    return this.#changed(em, id);
  }

  /** Moves the departure (and the arrival with it) later, with a reason passengers are told. */
  async delay(em: EntityManager, raw: unknown): Promise<FlightRecord> {
    const input = parseInput(delayFlightInput, raw);
    await em.transactional(async (tx) => {
      const flight = await this.#lockOpen(tx, input.id);
      if (input.newDepartureTime.getTime() <= flight.departureTime.getTime())
        throw badInput(
          `newDepartureTime: must be later than the current departure ${local(flight.departureTime, flight.origin)}`,
          'newDepartureTime',
        );
      if (
        input.newDepartureTime.getTime() - flight.scheduledDepartureTime.getTime() >
        MAX_DELAY_HOURS * HOUR_MS
      )
        throw badInput(
          `newDepartureTime: a delay of more than ${MAX_DELAY_HOURS} hours is a cancellation`,
          'newDepartureTime',
        );
      const old = { departure: flight.departureTime, arrival: flight.arrivalTime };
      const shift = input.newDepartureTime.getTime() - old.departure.getTime();
      flight.departureTime = input.newDepartureTime;
      flight.arrivalTime = new Date(old.arrival.getTime() + shift);
      flight.status = FlightStatus.DELAYED;
      flight.delayReason = input.reason;
      await markSearchChanged(tx, [flight.id]);
      enqueue(
        tx,
        newEvent('FlightDelayed', flight.id, {
          flightId: flight.id,
          number: flight.number,
          oldDepartureTime: local(old.departure, flight.origin),
          newDepartureTime: local(flight.departureTime, flight.origin),
          oldArrivalTime: local(old.arrival, flight.destination),
          newArrivalTime: local(flight.arrivalTime, flight.destination),
          reason: input.reason,
        }),
      );
    });
    return this.#changed(em, input.id);
  }

  /** Moves the flight to another gate; the same gate again changes nothing and announces nothing. */
  async changeGate(em: EntityManager, raw: unknown): Promise<FlightRecord> {
    const input = parseInput(changeGateInput, raw);
    await em.transactional(async (tx) => {
      const flight = await this.#lockOpen(tx, input.id);
      if (flight.gate === input.gate) return;
      const oldGate = flight.gate ?? null;
      flight.gate = input.gate;
      enqueue(
        tx,
        newEvent('GateChanged', flight.id, {
          flightId: flight.id,
          number: flight.number,
          oldGate,
          newGate: input.gate,
        }),
      );
    });
    return this.#changed(em, input.id);
  }

  /** Cancels the flight (bookings cancels and refunds its bookings on the event); idempotent. */
  async cancel(em: EntityManager, raw: unknown): Promise<FlightRecord> {
    const input = parseInput(cancelFlightInput, raw);
    await em.transactional(async (tx) => {
      const flight = await this.#lock(tx, input.id);
      if (flight.status === FlightStatus.CANCELLED) return;
      this.#assertOpen(flight);
      flight.status = FlightStatus.CANCELLED;
      flight.cancellationReason = input.reason;
      await markSearchChanged(tx, [flight.id]);
      enqueue(
        tx,
        newEvent('FlightCancelled', flight.id, {
          flightId: flight.id,
          number: flight.number,
          departureTime: local(flight.departureTime, flight.origin),
          reason: input.reason,
        }),
      );
    });
    return this.#changed(em, input.id);
  }

  // flight change: FOR UPDATE on the flight row; seat confirmations hold FOR SHARE on it, so a
  // cancellation and a confirmation of the same flight never interleave.
  async #lock(em: EntityManager, id: string): Promise<FlightEntity> {
    const flight = await em.findOne(Flight, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!flight) throw notFound('Flight', id);
    return flight;
  }

  async #lockOpen(em: EntityManager, id: string): Promise<FlightEntity> {
    const flight = await this.#lock(em, id);
    this.#assertOpen(flight);
    return flight;
  }

  #assertOpen(flight: FlightEntity): void {
    const closed = closedReason(flight, this.#now());
    if (closed) throw badInput(`${flight.number} cannot be changed: ${closed}`, 'id');
  }

  // Committed: search can pick the change up now instead of at its next poll.
  async #changed(em: EntityManager, id: string): Promise<FlightRecord> {
    this.#projector.kick();
    const record = await selectFlight(em.fork(), id);
    if (!record) throw notFound('Flight', id);
    return record;
  }
}
