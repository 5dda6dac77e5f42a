import { toMoney } from '@airline/shared';
import type { Contact } from '../clients/customers-client.ts';
import type { AirportDetails, FlightDetails } from '../clients/flights-client.ts';
import type { BookedTraveller } from '../notification/notification.entity.ts';
import { Kind } from '../notification/vocabulary.ts';
import { localTime, type LocalTime } from './local-time.ts';

// What a template sees: every value already worded for a passenger (times on the airport's
// clock, money as "129.00 USD"). Templates only place them; they compute nothing.

/** An airport as messages name it. */
export interface AirportView {
  code: string;
  name: string;
  city: string;
}

/** The flight part of every message. */
export interface FlightView {
  number: string;
  origin: AirportView;
  destination: AirportView;
  departure: LocalTime;
  arrival: LocalTime;
  gate: string | null;
}

/** A traveller on the e-ticket. */
export interface TravellerView {
  name: string;
  seat: string;
  ticketNumber: string | null;
}

/** Everything a template of any kind may use; kind-specific parts are absent for other kinds. */
export interface MessageView {
  kind: Kind;
  customerName: string;
  reference: string;
  flight: FlightView;
  travellers: TravellerView[];
  amountPaid: string | null;
  /** Cancellations: the refund, and whether payments has recorded it yet. */
  refund: { amount: string; recorded: boolean } | null;
  reason: string | null;
  /** Delays: the times before the change. */
  previous: { departure: LocalTime; arrival: LocalTime } | null;
  /** Gate changes: the gate before the change. */
  previousGate: string | null;
  /** Expired holds: when the hold ended. */
  expiredAt: LocalTime | null;
}

/** What the booking copy holds that messages show. */
export interface BookingFacts {
  reference: string;
  passengers: BookedTraveller[];
  totalMinor: number | null;
  currency: string | null;
}

/** The money recorded as refunded for a booking, per currency, in minor units. */
export type RefundTotals = Map<string, number>;

/** Everything a view is built from. */
export interface ViewInput {
  kind: Kind;
  contact: Contact;
  booking: BookingFacts;
  flight: FlightDetails;
  /** What the triggering event said (see messaging/event-handlers.ts for each kind's facts). */
  facts: Record<string, unknown>;
  refunds: RefundTotals;
}

const airport = (a: AirportDetails): AirportView => ({ code: a.code, name: a.name, city: a.city });

const money = (m: unknown): { amountMinor: number; currency: string } | null => {
  if (!m || typeof m !== 'object') return null;
  const { amountMinor, currency } = m as { amountMinor?: unknown; currency?: unknown };
  return typeof amountMinor === 'number' && typeof currency === 'string'
    ? { amountMinor, currency }
    : null;
};

const words = (amountMinor: number, currency: string): string => {
  const m = toMoney(amountMinor, currency);
  return `${m.amount} ${m.currency}`;
};

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Builds the view of one message from the booking, its flight and what the event said. */
export function messageView(input: ViewInput): MessageView {
  const { flight, booking, facts } = input;
  const origin = flight.origin.timeZone;
  const destination = flight.destination.timeZone;
  const expected = money(facts.refundExpected);
  let refund: MessageView['refund'] = null;
  if (expected) {
    const recorded = input.refunds.get(expected.currency) ?? 0;
    // What payments recorded as refunded is what the message states; until then, what is due.
    refund = recorded
      ? { amount: words(recorded, expected.currency), recorded: true }
      : { amount: words(expected.amountMinor, expected.currency), recorded: false };
  }
  // A delay or gate message states the change it announces, even if another one followed it.
  const departure = str(facts.newDepartureTime) ?? flight.departureTime;
  const arrival = str(facts.newArrivalTime) ?? flight.arrivalTime;
  const gate = str(facts.newGate) ?? flight.gate;
  const oldDeparture = str(facts.oldDepartureTime);
  const oldArrival = str(facts.oldArrivalTime);
  const holdExpiredAt = str(facts.holdExpiredAt);
  const paid = input.kind === Kind.PAYMENT_FAILED ? money(facts.amount) : null;
  return {
    kind: input.kind,
    customerName: input.contact.name,
    reference: booking.reference,
    flight: {
      number: flight.number,
      origin: airport(flight.origin),
      destination: airport(flight.destination),
      departure: localTime(departure, origin),
      arrival: localTime(arrival, destination),
      gate,
    },
    travellers: booking.passengers.map((p) => ({
      name: `${p.givenName} ${p.familyName}`,
      seat: p.seat,
      ticketNumber: p.ticketNumber ?? null,
    })),
    amountPaid: paid
      ? words(paid.amountMinor, paid.currency)
      : booking.totalMinor !== null && booking.currency
        ? words(booking.totalMinor, booking.currency)
        : null,
    refund,
    reason: str(facts.reason),
    previous:
      oldDeparture && oldArrival
        ? {
            departure: localTime(oldDeparture, origin),
            arrival: localTime(oldArrival, destination),
          }
        : null,
    previousGate: str(facts.oldGate),
    expiredAt: holdExpiredAt ? localTime(holdExpiredAt, origin) : null,
  };
}
