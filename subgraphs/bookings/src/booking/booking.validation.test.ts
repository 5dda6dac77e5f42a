import { createBookingInput, payBookingInput } from './booking.validation.ts';

const flightId = '7c0f1a52-8e34-4a55-9d55-0e8f3b1c2d3e';
const pax = (seat: string) => ({
  givenName: 'Ada',
  familyName: 'Lovelace',
  dateOfBirth: '1990-12-10',
  seat,
});

describe('createBooking input', () => {
  test('seats are normalised to upper case', () => {
    expect(
      createBookingInput.parse({ flightId, passengers: [pax('12a')] }).passengers[0]?.seat,
    ).toBe('12A');
  });

  test.each([
    ['no passengers', { passengers: [] }, 'passengers'],
    [
      'ten passengers',
      { passengers: Array.from({ length: 10 }, (_, i) => pax(`${i + 1}A`)) },
      'passengers',
    ],
    ['the same seat twice', { passengers: [pax('1A'), pax('1A')] }, 'passengers'],
    ['a malformed seat', { passengers: [pax('A12')] }, 'passengers.0.seat'],
    ['a non-uuid flight', { flightId: 'LH123' }, 'flightId'],
    ['a too short idempotency key', { idempotencyKey: 'abc' }, 'idempotencyKey'],
  ])('%s is refused naming %s', (_l, override, path) => {
    const r = createBookingInput.safeParse({ flightId, passengers: [pax('1A')], ...override });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('payBooking input', () => {
  const ok = {
    bookingId: flightId,
    idempotencyKey: 'pay-attempt-0001',
    card: {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 1,
      cvc: '123',
      holderName: 'Ada L',
    },
  };
  test('card number spaces are removed', () => {
    expect(payBookingInput.parse(ok).card.number).toBe('4242424242424242');
  });
  test.each([
    [{ expMonth: 13 }, 'card.expMonth'],
    [{ expYear: 2001 }, 'card.expYear'],
    [{ cvc: '12' }, 'card.cvc'],
    [{ number: '4242' }, 'card.number'],
  ])('%o is refused', (card, path) => {
    const r = payBookingInput.safeParse({ ...ok, card: { ...ok.card, ...card } });
    expect(r.error?.issues[0]?.path.join('.')).toBe(path);
  });
});
