import { KINDS, Kind } from '../notification/vocabulary.ts';
import { sampleView } from './sample-view.ts';
import { MessageTemplates } from './templates.ts';

const templates = MessageTemplates.load();

const FACTS: Partial<Record<Kind, Record<string, unknown>>> = {
  PAYMENT_FAILED: {
    amount: { amountMinor: 25_800, currency: 'USD' },
    reason: 'The card was declined.',
  },
  BOOKING_CANCELLED: {
    reason: 'plans <changed>',
    refundExpected: { amountMinor: 25_800, currency: 'USD' },
  },
  FLIGHT_CANCELLED: { reason: 'Crew shortage', refundExpected: null },
  HOLD_EXPIRED: { holdExpiredAt: '2027-01-01T12:00:00Z' },
  FLIGHT_DELAYED: {
    oldDepartureTime: '2027-01-12T08:05:00-05:00',
    newDepartureTime: '2027-01-12T11:35:00-05:00',
    oldArrivalTime: '2027-01-12T20:10:00+00:00',
    newArrivalTime: '2027-01-12T23:40:00+00:00',
    reason: 'Late inbound aircraft',
  },
  GATE_CHANGED: { oldGate: 'B12', newGate: 'C3' },
};

describe('message templates', () => {
  test.each(KINDS)('%s renders a one-line subject, HTML, text and a short text', (kind) => {
    const out = templates.render(sampleView(kind, FACTS[kind]));
    expect(out.subject).toMatch(/\S/);
    expect(out.subject).not.toMatch(/[\r\n]/);
    expect(out.short).not.toMatch(/[\r\n]/);
    expect(out.subject).not.toContain('{{');
    expect(out.html).toContain('K7QX2M');
    expect(out.text).toContain('AS101');
    // Every customer-supplied value is escaped in HTML: the name never becomes a tag.
    expect(out.html).not.toContain('<img');
    expect(out.html).toContain('Ada &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  test('the e-ticket lists every passenger with ticket and seat, and times on each airport clock', () => {
    const out = templates.render(sampleView(Kind.BOOKING_CONFIRMED));
    expect(out.text).toContain('- Ada Lovelace, seat 12A, e-ticket 9990000000017');
    expect(out.text).toContain("<script>x</script> O'Brien, seat 12B, e-ticket 9990000000024");
    expect(out.text).toContain(
      'Departs: Tue 12 Jan 2027 at 08:05 local time (America/New_York, GMT-5)',
    );
    expect(out.text).toContain(
      'Arrives: Tue 12 Jan 2027 at 20:10 local time (Europe/London, GMT+0)',
    );
    expect(out.text).toContain('Amount paid: 258.00 USD');
    expect(out.html).toContain('&lt;script&gt;x&lt;/script&gt; O&#x27;Brien');
    expect(out.html).not.toContain('<script>');
  });

  test('a delay states the old and new local times; a cancellation the refund', () => {
    const delay = templates.render(sampleView(Kind.FLIGHT_DELAYED, FACTS.FLIGHT_DELAYED));
    expect(delay.subject).toBe('Flight AS101 is delayed: now departs Tue 12 Jan 2027 at 11:35');
    expect(delay.text).toContain('at 11:35 local time instead of Tue 12 Jan 2027 at 08:05');
    const cancelled = templates.render(sampleView(Kind.BOOKING_CANCELLED, FACTS.BOOKING_CANCELLED));
    expect(cancelled.text).toContain(
      'A refund of 258.00 USD to the card you paid with is on its way.',
    );
    expect(cancelled.html).toContain('plans &lt;changed&gt;');
  });

  test('a message another service wrote is escaped paragraph by paragraph, never trusted as HTML', () => {
    const out = templates.renderWritten('Hi\r\nthere', 'First <b>para</b>.\n\nSecond.', null);
    expect(out.subject).toBe('Hi there');
    expect(out.html).toContain('<p>First &lt;b&gt;para&lt;/b&gt;.</p>');
    expect(out.html).toContain('<p>Second.</p>');
    expect(out.text).toBe('First <b>para</b>.\n\nSecond.');
  });
});
