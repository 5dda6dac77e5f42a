import { createRedis } from './redis.ts';
import { SeatHolds } from './seat-holds.ts';
import { cleanupTestResources, testConfig } from './testing/config.ts';

const config = testConfig('seatholds');
const redis = createRedis(config, 'test');
const holds = new SeatHolds(redis);
afterAll(async () => {
  redis.disconnect();
  await cleanupTestResources(config);
});

describe('seat holds in Redis', () => {
  test('a hold takes all seats or none', async () => {
    expect(await holds.hold('f1', ['1A', '1B'], 'booking-a', 60_000)).toEqual({ ok: true });
    expect(await holds.hold('f1', ['1C', '1B', '1D'], 'booking-b', 60_000)).toEqual({
      ok: false,
      taken: ['1B'],
    });
    const held = await holds.heldSeats('f1', ['1A', '1B', '1C', '1D']);
    expect([...held]).toEqual([
      ['1A', 'booking-a'],
      ['1B', 'booking-a'],
    ]);
  });

  test('the same booking may re-hold its seats (idempotent retry)', async () => {
    expect(await holds.hold('f2', ['3A'], 'booking-a', 60_000)).toEqual({ ok: true });
    expect(await holds.hold('f2', ['3A'], 'booking-a', 60_000)).toEqual({ ok: true });
  });

  test('only the holder (fencing token) can release or extend', async () => {
    await holds.hold('f3', ['5A', '5B'], 'booking-a', 60_000);
    expect(await holds.release('f3', ['5A', '5B'], 'booking-b')).toBe(0);
    expect(await holds.extend('f3', ['5A'], 'booking-b', 120_000)).toBe(0);
    expect(await holds.extend('f3', ['5A'], 'booking-a', 120_000)).toBe(1);
    expect(await redis.pttl('seat-hold:f3:5A')).toBeGreaterThan(60_000);
    expect(await holds.release('f3', ['5A', '5B'], 'booking-a')).toBe(2);
    expect((await holds.heldSeats('f3', ['5A', '5B'])).size).toBe(0);
  });

  test('a hold expires with its TTL and the seat is free again', async () => {
    await holds.hold('f4', ['7A'], 'booking-a', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await holds.hold('f4', ['7A'], 'booking-b', 60_000)).toEqual({ ok: true });
  });

  test('100 concurrent holds on one seat: exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        holds.hold('f5', ['12A', `${20 + (i % 5)}C`], `booking-${i}`, 60_000),
      ),
    );
    // Every request wants 12A, so at most one can succeed; the first wins.
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  test('held seats of many flights come back in one pipelined call', async () => {
    await holds.hold('f6', ['1A'], 'x', 60_000);
    const byFlight = await holds.heldSeatsOfFlights([
      { id: 'f6', seats: ['1A', '1B'] },
      { id: 'f7', seats: [] },
      { id: 'f8', seats: ['1A'] },
    ]);
    expect(byFlight.get('f6')?.get('1A')).toBe('x');
    expect(byFlight.get('f7')?.size).toBe(0);
    expect(byFlight.get('f8')?.size).toBe(0);
  });
});
