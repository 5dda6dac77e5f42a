import { DEFAULT_PREFERENCES } from '../notification/preferences.ts';
import { BookingState, Kind } from '../notification/vocabulary.ts';
import { planMessages, type ComposeInput } from './compose-plan.ts';
import { SAMPLE_CONTACT, SAMPLE_FLIGHT } from './sample-view.ts';
import { MessageTemplates } from './templates.ts';

const templates = MessageTemplates.load();
const DEPARTURE = Date.parse(SAMPLE_FLIGHT.departureTime);
const HOUR = 3_600_000;

function input(kind: Kind, changes: Partial<ComposeInput> = {}): ComposeInput {
  return {
    request: {
      id: '11111111-2222-4333-8444-555555555555',
      kind,
      bookingId: '66666666-7777-4888-9999-000000000000',
      customerId: SAMPLE_CONTACT.id,
      flightId: SAMPLE_FLIGHT.id,
      facts: {},
    },
    booking: {
      reference: 'K7QX2M',
      status: BookingState.CONFIRMED,
      passengers: [{ givenName: 'Ada', familyName: 'Lovelace', seat: '12A', ticketNumber: '1' }],
      totalMinor: 12_900,
      currency: 'USD',
    },
    contact: SAMPLE_CONTACT,
    flight: SAMPLE_FLIGHT,
    preferences: DEFAULT_PREFERENCES,
    refunds: new Map(),
    now: new Date(DEPARTURE - 30 * 24 * HOUR),
    reminderHoursBefore: 24,
    ...changes,
  };
}

describe('planMessages', () => {
  test('e-mail always; SMS when on and the account has a phone; push when on', () => {
    const plan = planMessages(input(Kind.GATE_CHANGED), templates);
    expect(plan.action === 'compose' && plan.messages.map((m) => [m.channel, m.recipient])).toEqual(
      [
        ['EMAIL', SAMPLE_CONTACT.email],
        ['SMS', SAMPLE_CONTACT.phone],
      ],
    );
    const noPhone = planMessages(
      input(Kind.GATE_CHANGED, {
        contact: { ...SAMPLE_CONTACT, phone: null },
        preferences: { email: true, sms: true, push: true },
      }),
      templates,
    );
    expect(
      noPhone.action === 'compose' && noPhone.messages.map((m) => [m.channel, m.recipient]),
    ).toEqual([
      ['EMAIL', SAMPLE_CONTACT.email],
      ['PUSH', SAMPLE_CONTACT.id],
    ]);
  });

  test('a confirmation carries the calendar entry and schedules the reminder 24 hours before departure', () => {
    const plan = planMessages(input(Kind.BOOKING_CONFIRMED), templates);
    if (plan.action !== 'compose') throw new Error(`planned ${plan.action}`);
    expect(plan.messages[0]!.attachments.map((a) => a.filename)).toEqual(['e-ticket-K7QX2M.ics']);
    expect(plan.reminderAt?.getTime()).toBe(DEPARTURE - 24 * HOUR);
    const late = planMessages(
      input(Kind.BOOKING_CONFIRMED, { now: new Date(DEPARTURE - 5 * HOUR) }),
      templates,
    );
    expect(late.action === 'compose' && late.reminderAt).toBeNull();
  });

  test('a reminder whose departure moved later waits again; one for a cancelled booking or flight is dropped', () => {
    const early = input(Kind.FLIGHT_REMINDER, { now: new Date(DEPARTURE - 27 * HOUR) });
    expect(planMessages(early, templates)).toEqual({
      action: 'reschedule',
      dueAt: new Date(DEPARTURE - 24 * HOUR),
      why: 'departure moved',
    });
    const due = input(Kind.FLIGHT_REMINDER, { now: new Date(DEPARTURE - 24 * HOUR) });
    expect(planMessages(due, templates).action).toBe('compose');
    const cancelledBooking = {
      ...due,
      booking: { ...due.booking!, status: BookingState.CANCELLED },
    };
    expect(planMessages(cancelledBooking, templates)).toMatchObject({ action: 'drop' });
    const cancelledFlight = { ...due, flight: { ...SAMPLE_FLIGHT, status: 'CANCELLED' } };
    expect(planMessages(cancelledFlight, templates)).toEqual({
      action: 'drop',
      why: 'flight cancelled',
    });
  });

  test('a confirmation for a booking cancelled meanwhile, or a customer who is gone, sends nothing', () => {
    const base = input(Kind.BOOKING_CONFIRMED);
    expect(
      planMessages(
        { ...base, booking: { ...base.booking!, status: BookingState.CANCELLED } },
        templates,
      ),
    ).toMatchObject({ action: 'drop' });
    expect(planMessages({ ...base, contact: undefined }, templates)).toMatchObject({
      action: 'drop',
    });
  });
});
