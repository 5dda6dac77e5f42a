import type { Contact } from '../clients/customers-client.ts';
import type { FlightDetails } from '../clients/flights-client.ts';
import type { BookedTraveller } from '../notification/notification.entity.ts';
import type { NewNotification } from '../notification/notification-store.ts';
import type { Preferences } from '../notification/preferences.ts';
import { BookingState, Channel, Kind } from '../notification/vocabulary.ts';
import { reminderDueAt } from '../requests/message-requests.ts';
import { eTicketCalendar } from './e-ticket-calendar.ts';
import { messageView, type RefundTotals } from './message-views.ts';
import type { MessageTemplates } from './templates.ts';

/** A request as the composer claimed it. */
export interface DueRequest {
  id: string;
  kind: Kind;
  bookingId: string;
  customerId: string;
  flightId: string;
  facts: Record<string, unknown>;
}

/** What notifications knows of the request's booking. */
export interface KnownBooking {
  reference: string;
  status: BookingState;
  passengers: BookedTraveller[];
  totalMinor: number | null;
  currency: string | null;
}

/** Everything a request is composed from, gathered for a whole batch beforehand. */
export interface ComposeInput {
  request: DueRequest;
  booking: KnownBooking | undefined;
  contact: Contact | undefined;
  flight: FlightDetails | undefined;
  preferences: Preferences;
  refunds: RefundTotals;
  now: Date;
  reminderHoursBefore: number;
}

/** What to do with a due request. */
export type ComposePlan =
  | { action: 'compose'; messages: NewNotification[]; reminderAt: Date | null }
  | { action: 'drop'; why: string }
  | { action: 'reschedule'; dueAt: Date; why: string };

// A reminder is sent when its time has come give or take this much; later than that, the
// departure moved (a delay reached us by another path) and the reminder waits again.
const REMINDER_SLACK_MS = 60_000;

/**
 * Decides what a due request becomes: one message per channel the customer is reached on
 * (e-mail always; SMS with a phone number and SMS on; push when on), nothing (the booking or
 * flight no longer calls for it), or a later time (a reminder whose departure moved).
 */
export function planMessages(input: ComposeInput, templates: MessageTemplates): ComposePlan {
  const { request, booking, contact, flight, now } = input;
  if (!booking) return { action: 'drop', why: 'unknown booking' };
  if (!contact) return { action: 'drop', why: 'the customer no longer exists' };
  if (!flight) return { action: 'drop', why: 'unknown flight' };
  const departure = new Date(flight.departureTime);

  if (request.kind === Kind.FLIGHT_REMINDER) {
    if (booking.status !== BookingState.CONFIRMED)
      return { action: 'drop', why: `booking is ${booking.status}` };
    if (flight.status === 'CANCELLED') return { action: 'drop', why: 'flight cancelled' };
    if (departure.getTime() <= now.getTime()) return { action: 'drop', why: 'flight departed' };
    const due = reminderDueAt(departure, input.reminderHoursBefore);
    if (due.getTime() > now.getTime() + REMINDER_SLACK_MS)
      return { action: 'reschedule', dueAt: due, why: 'departure moved' };
  }
  // A ticket for a booking cancelled in the meantime would be wrong.
  if (request.kind === Kind.BOOKING_CONFIRMED && booking.status !== BookingState.CONFIRMED)
    return { action: 'drop', why: `booking is ${booking.status}` };

  const view = messageView({
    kind: request.kind,
    contact,
    booking,
    flight,
    facts: request.facts,
    refunds: input.refunds,
  });
  const rendered = templates.render(view);
  const attachments =
    request.kind === Kind.BOOKING_CONFIRMED ? [eTicketCalendar(view, request.bookingId)] : [];
  const base = {
    kind: request.kind,
    customerId: request.customerId,
    bookingId: request.bookingId,
    subject: rendered.subject,
  };
  const messages: NewNotification[] = [
    {
      ...base,
      channel: Channel.EMAIL,
      recipient: contact.email,
      bodyText: rendered.text,
      bodyHtml: rendered.html,
      attachments,
      dedupeKey: `${request.id}:${Channel.EMAIL}`,
    },
  ];
  if (input.preferences.sms && contact.phone)
    messages.push({
      ...base,
      channel: Channel.SMS,
      recipient: contact.phone,
      bodyText: rendered.short,
      bodyHtml: null,
      attachments: [],
      dedupeKey: `${request.id}:${Channel.SMS}`,
    });
  if (input.preferences.push)
    // Push providers address a user's devices by an id of ours: the customer id.
    messages.push({
      ...base,
      channel: Channel.PUSH,
      recipient: request.customerId,
      bodyText: rendered.short,
      bodyHtml: null,
      attachments: [],
      dedupeKey: `${request.id}:${Channel.PUSH}`,
    });

  let reminderAt: Date | null = null;
  if (request.kind === Kind.BOOKING_CONFIRMED) {
    const due = reminderDueAt(departure, input.reminderHoursBefore);
    // Confirmed less than a day before departure: the e-ticket is the reminder.
    if (due.getTime() > now.getTime()) reminderAt = due;
  }
  return { action: 'compose', messages, reminderAt };
}
