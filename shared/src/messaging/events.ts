import { randomUUID } from 'node:crypto';
import type { ServiceName } from '../config.ts';

// The one place where the saga's messages are named (DESIGN §3). Events say what happened and
// fan out on a domain's topic exchange; commands ask one service to do something and land on
// that service's own command queue. Adding a message = one payload entry + one catalogue entry;
// the `satisfies` clauses below fail the type check until both exist.

/** The RabbitMQ topic exchanges, one per domain, by their logical (unprefixed) names. */
export const EXCHANGES = {
  booking: 'booking.events',
  payment: 'payment.events',
  flight: 'flight.events',
  notification: 'notification.requests',
} as const;
/** One of the domain exchanges. */
export type ExchangeName = (typeof EXCHANGES)[keyof typeof EXCHANGES];

/** The exchange most commands travel through; a service's command queue binds the command names it owns. */
export const COMMAND_EXCHANGE = 'commands';

/** Money on the wire: an integer count of the currency's minor unit (12900 EUR = 129.00 EUR), never a float. */
export interface MinorMoney {
  amountMinor: number;
  currency: string;
}

/** A ticketed passenger as events carry it. */
export interface PassengerSeat {
  givenName: string;
  familyName: string;
  seat: string;
  ticketNumber?: string;
}

/** Who or what ended a booking. */
export type CancellationCause =
  'CUSTOMER' | 'AGENT' | 'FLIGHT_CANCELLED' | 'SEAT_CONFIRMATION_FAILED';

/** A booking's status as events carry it (the bookings subgraph's `BookingStatus`). */
export type BookingLifecycleStatus =
  'HELD' | 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED' | 'PAYMENT_FAILED';

/** Payload of every event, by event type (the routing key is the type name). */
export interface EventPayloads {
  BookingCreated: {
    bookingId: string;
    reference: string;
    customerId: string;
    flightId: string;
    seats: string[];
    passengers: PassengerSeat[];
    total: MinorMoney;
    holdExpiresAt: string;
  };
  PaymentCompleted: {
    paymentId: string;
    bookingId: string;
    customerId: string;
    amount: MinorMoney;
    /** The key the payment was requested with: ties the result to its request if the reply was lost. */
    idempotencyKey: string;
    cardBrand: string;
    cardLast4: string;
  };
  PaymentFailed: {
    paymentId: string;
    bookingId: string;
    customerId: string;
    amount: MinorMoney;
    /** The key the payment was requested with (see PaymentCompleted). */
    idempotencyKey: string;
    /** Provider or breaker code: `card_declined`, `insufficient_funds`, `provider_unavailable`, ... */
    code: string;
    reason: string;
  };
  PaymentRefunded: {
    paymentId: string;
    refundId: string;
    bookingId: string;
    customerId: string;
    amount: MinorMoney;
    reason: string;
  };
  BookingConfirmed: {
    bookingId: string;
    reference: string;
    customerId: string;
    flightId: string;
    seats: string[];
    passengers: PassengerSeat[];
    total: MinorMoney;
    paymentId: string;
  };
  BookingCancelled: {
    bookingId: string;
    reference: string;
    customerId: string;
    flightId: string;
    seats: string[];
    cause: CancellationCause;
    reason: string | null;
    /** Set when the booking was paid: payments refunds it. */
    paymentId: string | null;
    refund: MinorMoney | null;
  };
  BookingExpired: {
    bookingId: string;
    reference: string;
    customerId: string;
    flightId: string;
    seats: string[];
    holdExpiredAt: string;
  };
  /** Every change of a booking's status, for live views; `version` orders them per booking. */
  BookingStatusChanged: {
    bookingId: string;
    customerId: string;
    flightId: string;
    status: BookingLifecycleStatus;
    /** Null when the booking was just created. */
    previousStatus: BookingLifecycleStatus | null;
    /** 1 at creation, +1 per change: a consumer drops any version it has already passed. */
    version: number;
    occurredAt: string;
  };
  FlightDelayed: {
    flightId: string;
    number: string;
    oldDepartureTime: string;
    newDepartureTime: string;
    oldArrivalTime: string;
    newArrivalTime: string;
    reason: string;
  };
  GateChanged: {
    flightId: string;
    number: string;
    oldGate: string | null;
    newGate: string;
  };
  /** Flights' answer to ConfirmSeats: the seats are now booked in the inventory. */
  SeatsConfirmed: {
    bookingId: string;
    flightId: string;
    seats: string[];
  };
  /** Flights' answer to ConfirmSeats when a seat is taken (or blocked, or the flight cancelled). */
  SeatsRejected: {
    bookingId: string;
    flightId: string;
    /** The seats that could not be confirmed. */
    seats: string[];
    reason: string;
  };
  FlightCancelled: {
    flightId: string;
    number: string;
    departureTime: string;
    reason: string;
  };
}
/** The name of an event. */
export type EventType = keyof EventPayloads;

/** Payload of every command, by command name (the routing key is the name). */
export interface CommandPayloads {
  RefundPayment: {
    paymentId: string;
    bookingId: string;
    customerId: string;
    /** Omitted for a full refund. */
    amount: MinorMoney | null;
    reason: string;
  };
  ConfirmSeats: {
    bookingId: string;
    flightId: string;
    seats: string[];
  };
  ReleaseSeats: {
    bookingId: string;
    flightId: string;
    seats: string[];
    reason: string;
  };
  SendNotification: {
    channel: 'EMAIL' | 'SMS' | 'PUSH';
    kind: string;
    recipient: string;
    customerId: string | null;
    bookingId: string | null;
    subject: string;
    body: string;
  };
}
/** The name of a command. */
export type CommandType = keyof CommandPayloads;

/** Where each event is published and the version its payload shape is at. */
export const EVENT_CATALOGUE = {
  BookingCreated: { exchange: EXCHANGES.booking, version: 1 },
  BookingConfirmed: { exchange: EXCHANGES.booking, version: 1 },
  BookingCancelled: { exchange: EXCHANGES.booking, version: 1 },
  BookingExpired: { exchange: EXCHANGES.booking, version: 1 },
  BookingStatusChanged: { exchange: EXCHANGES.booking, version: 1 },
  PaymentCompleted: { exchange: EXCHANGES.payment, version: 1 },
  PaymentFailed: { exchange: EXCHANGES.payment, version: 1 },
  PaymentRefunded: { exchange: EXCHANGES.payment, version: 1 },
  FlightDelayed: { exchange: EXCHANGES.flight, version: 1 },
  GateChanged: { exchange: EXCHANGES.flight, version: 1 },
  FlightCancelled: { exchange: EXCHANGES.flight, version: 1 },
  SeatsConfirmed: { exchange: EXCHANGES.flight, version: 1 },
  SeatsRejected: { exchange: EXCHANGES.flight, version: 1 },
} as const satisfies Record<EventType, { exchange: ExchangeName; version: number }>;

/** Which service executes each command, the exchange that carries it, and its payload version. */
export const COMMAND_CATALOGUE = {
  RefundPayment: { service: 'payments', exchange: COMMAND_EXCHANGE, version: 1 },
  ConfirmSeats: { service: 'flights', exchange: COMMAND_EXCHANGE, version: 1 },
  ReleaseSeats: { service: 'flights', exchange: COMMAND_EXCHANGE, version: 1 },
  // DESIGN §3 gives notification requests their own exchange; they are still commands.
  SendNotification: { service: 'notifications', exchange: EXCHANGES.notification, version: 1 },
} as const satisfies Record<
  CommandType,
  { service: ServiceName; exchange: string; version: number }
>;

/** The versioned envelope every message travels in. */
export interface Envelope<T extends string = string, P = unknown> {
  /** UUID; the consumer's inbox dedupes on it and it is the AMQP `messageId`. */
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  /** The entity the message is about (booking id, flight id, ...); ordering holds per aggregate. */
  aggregateId: string;
  /** Ties together every message of one saga run (usually the booking id or request id). */
  correlationId?: string;
  payload: P;
}

/** An event envelope; with no argument, the union of all events (switch on `type` to narrow `payload`). */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: Envelope<K, EventPayloads[K]>;
}[T];
/** A command envelope; with no argument, the union of all commands. */
export type CommandEnvelope<T extends CommandType = CommandType> = {
  [K in T]: Envelope<K, CommandPayloads[K]>;
}[T];
/** Any message of the catalogue: what a consumer handler receives. */
export type Message = EventEnvelope | CommandEnvelope;
/** Any event or command name. */
export type MessageType = EventType | CommandType;

/** Builds an event envelope with a fresh id and the catalogue's current version. */
export function newEvent<T extends EventType>(
  type: T,
  aggregateId: string,
  payload: EventPayloads[T],
  correlationId?: string,
): Envelope<T, EventPayloads[T]> {
  return envelope(type, EVENT_CATALOGUE[type].version, aggregateId, payload, correlationId);
}

/** Builds a command envelope with a fresh id and the catalogue's current version. */
export function newCommand<T extends CommandType>(
  type: T,
  aggregateId: string,
  payload: CommandPayloads[T],
  correlationId?: string,
): Envelope<T, CommandPayloads[T]> {
  return envelope(type, COMMAND_CATALOGUE[type].version, aggregateId, payload, correlationId);
}

function envelope<T extends string, P>(
  type: T,
  version: number,
  aggregateId: string,
  payload: P,
  correlationId: string | undefined,
): Envelope<T, P> {
  return {
    id: randomUUID(),
    type,
    version,
    occurredAt: new Date().toISOString(),
    aggregateId,
    ...(correlationId === undefined ? {} : { correlationId }),
    payload,
  };
}

/** True when the name is a command of the catalogue (commands and events share the envelope). */
export function isCommandType(type: string): type is CommandType {
  return Object.hasOwn(COMMAND_CATALOGUE, type);
}

/** True when the name is an event of the catalogue. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, type);
}

/** The logical exchange and routing key a message is published with. */
export function routeOf(message: Pick<Envelope, 'type'>): { exchange: string; routingKey: string } {
  if (isEventType(message.type))
    return { exchange: EVENT_CATALOGUE[message.type].exchange, routingKey: message.type };
  if (isCommandType(message.type))
    return { exchange: COMMAND_CATALOGUE[message.type].exchange, routingKey: message.type };
  throw new Error(
    `unknown message type ${message.type}: add it to the catalogue in shared/src/messaging/events.ts`,
  );
}

/** Every exchange the catalogue publishes to (what `declareExchanges` creates). */
export const ALL_EXCHANGES: readonly string[] = [...Object.values(EXCHANGES), COMMAND_EXCHANGE];
