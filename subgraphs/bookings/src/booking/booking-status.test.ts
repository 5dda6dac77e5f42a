import { BookingStatus, canTransition, isTerminal } from './booking-status.ts';

describe('booking state machine (DESIGN §2)', () => {
  test.each([
    ['HELD', 'PAYMENT_PENDING'],
    ['HELD', 'EXPIRED'],
    ['HELD', 'CANCELLED'],
    ['PAYMENT_PENDING', 'CONFIRMED'],
    ['PAYMENT_PENDING', 'PAYMENT_FAILED'],
    ['PAYMENT_PENDING', 'HELD'],
    ['PAYMENT_PENDING', 'CANCELLED'],
    ['CONFIRMED', 'CANCELLED'],
  ] as const)('%s -> %s is allowed', (from, to) => expect(canTransition(from, to)).toBe(true));

  test.each([
    ['CONFIRMED', 'HELD'],
    ['EXPIRED', 'CONFIRMED'],
    ['CANCELLED', 'CONFIRMED'],
    ['PAYMENT_FAILED', 'PAYMENT_PENDING'],
    ['CONFIRMED', 'EXPIRED'],
    ['HELD', 'CONFIRMED'],
    ['HELD', 'PAYMENT_FAILED'],
    ['PAYMENT_PENDING', 'EXPIRED'],
  ] as const)('%s -> %s is refused', (from, to) => expect(canTransition(from, to)).toBe(false));

  test('cancelled, expired and failed bookings are terminal; the rest are not', () => {
    expect(Object.values(BookingStatus).filter(isTerminal).sort()).toEqual([
      'CANCELLED',
      'EXPIRED',
      'PAYMENT_FAILED',
    ]);
  });
});
