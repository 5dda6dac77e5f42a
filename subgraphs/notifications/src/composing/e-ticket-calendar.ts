import { createEvent } from 'ics';
import type { Attachment } from '../notification/notification.entity.ts';
import type { MessageView } from './message-views.ts';

/**
 * The e-ticket's calendar entry (RFC 5545): the flight in UTC, which every calendar shows in its
 * reader's zone, with the local times, seats and tickets in the description. The UID is the
 * booking's, so an update (a later e-ticket for the same booking) replaces the entry.
 */
export function eTicketCalendar(view: MessageView, bookingId: string): Attachment {
  const { flight } = view;
  const start = Date.parse(flight.departure.iso);
  const end = Date.parse(flight.arrival.iso);
  const description = [
    `Booking ${view.reference}`,
    `Departs ${flight.departure.date} ${flight.departure.time} local time (${flight.departure.zone}), ${flight.origin.name}`,
    `Arrives ${flight.arrival.date} ${flight.arrival.time} local time (${flight.arrival.zone}), ${flight.destination.name}`,
    ...view.travellers.map(
      (t) => `${t.name}: seat ${t.seat}${t.ticketNumber ? `, e-ticket ${t.ticketNumber}` : ''}`,
    ),
  ].join('\n');
  const { error, value } = createEvent({
    uid: `${bookingId}@airline.test`,
    productId: 'airline/notifications',
    method: 'PUBLISH',
    title: `Flight ${flight.number} ${flight.origin.code} to ${flight.destination.code}`,
    description,
    location: `${flight.origin.name}${flight.gate ? `, gate ${flight.gate}` : ''}`,
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end,
    endInputType: 'utc',
    endOutputType: 'utc',
    status: 'CONFIRMED',
  });
  if (error || !value) throw new Error(`could not build the calendar entry: ${String(error)}`);
  return {
    filename: `e-ticket-${view.reference}.ics`,
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: value,
  };
}
