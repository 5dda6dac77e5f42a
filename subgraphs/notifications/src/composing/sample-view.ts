import type { Contact } from '../clients/customers-client.ts';
import type { FlightDetails } from '../clients/flights-client.ts';
import type { Kind } from '../notification/vocabulary.ts';
import { messageView, type MessageView } from './message-views.ts';

/** A customer whose name tries to inject HTML (tests check it is escaped). */
export const SAMPLE_CONTACT: Contact = {
  id: '6f1c2b1e-4a51-4a2b-9b55-0f2c6a1d9e01',
  email: 'ada@example.com',
  name: 'Ada <img src=x onerror=alert(1)>',
  phone: '+15550100200',
};

/** New York to London: departure and arrival in different zones. */
export const SAMPLE_FLIGHT: FlightDetails = {
  id: '0b7f4e3a-2c1d-4e5f-8a9b-1c2d3e4f5a6b',
  number: 'AS101',
  status: 'SCHEDULED',
  gate: 'B12',
  departureTime: '2027-01-12T08:05:00-05:00',
  arrivalTime: '2027-01-12T20:10:00+00:00',
  scheduledDepartureTime: '2027-01-12T08:05:00-05:00',
  origin: {
    code: 'JFK',
    name: 'John F. Kennedy International Airport',
    city: 'New York',
    timeZone: 'America/New_York',
  },
  destination: { code: 'LHR', name: 'Heathrow Airport', city: 'London', timeZone: 'Europe/London' },
};

/** A view of `kind` for the sample booking, with the facts its event would carry. */
export function sampleView(kind: Kind, facts: Record<string, unknown> = {}): MessageView {
  return messageView({
    kind,
    contact: SAMPLE_CONTACT,
    booking: {
      reference: 'K7QX2M',
      passengers: [
        { givenName: 'Ada', familyName: 'Lovelace', seat: '12A', ticketNumber: '9990000000017' },
        {
          givenName: '<script>x</script>',
          familyName: "O'Brien",
          seat: '12B',
          ticketNumber: '9990000000024',
        },
      ],
      totalMinor: 25_800,
      currency: 'USD',
    },
    flight: SAMPLE_FLIGHT,
    facts,
    refunds: new Map(),
  });
}
