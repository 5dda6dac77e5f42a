import { closedReason, effectiveStatus } from './flight-status.ts';
import { defaultGate, isGate } from './gates.ts';

const flight = {
  status: 'SCHEDULED' as const,
  departureTime: new Date('2026-12-01T10:00:00Z'),
  arrivalTime: new Date('2026-12-01T12:00:00Z'),
};
const at = (iso: string) => new Date(iso);

describe('effective flight status', () => {
  it('follows the clock: scheduled, boarding 40 minutes out, departed, arrived', () => {
    expect(effectiveStatus(flight, at('2026-12-01T09:19:59Z'))).toBe('SCHEDULED');
    expect(effectiveStatus(flight, at('2026-12-01T09:20:00Z'))).toBe('BOARDING');
    expect(effectiveStatus(flight, at('2026-12-01T10:00:00Z'))).toBe('DEPARTED');
    expect(effectiveStatus(flight, at('2026-12-01T12:00:00Z'))).toBe('ARRIVED');
  });

  it('keeps a delay until boarding and a cancellation for ever', () => {
    expect(effectiveStatus({ ...flight, status: 'DELAYED' }, at('2026-12-01T08:00:00Z'))).toBe(
      'DELAYED',
    );
    expect(effectiveStatus({ ...flight, status: 'CANCELLED' }, at('2026-12-02T08:00:00Z'))).toBe(
      'CANCELLED',
    );
  });

  it('closes a flight for sale and changes once cancelled or departed', () => {
    expect(closedReason(flight, at('2026-12-01T09:30:00Z'))).toBeNull();
    expect(closedReason(flight, at('2026-12-01T10:30:00Z'))).toBe('flight departed');
    expect(closedReason({ ...flight, status: 'CANCELLED' }, at('2026-11-01T00:00:00Z'))).toBe(
      'flight cancelled',
    );
  });
});

describe('gates', () => {
  it('are assigned deterministically to seeded departures', () => {
    expect(defaultGate('AS101', '2026-12-01')).toBe(defaultGate('AS101', '2026-12-01'));
    expect(defaultGate('AS101', '2026-12-01')).toMatch(/^[A-E]([1-9]|[1-3]\d|40)$/);
  });

  it('accept what airports sign and refuse the rest', () => {
    expect(['B12', '7', 'T2C14'].every(isGate)).toBe(true);
    expect(['', 'GATE', 'b-12', 'A123456789'].some(isGate)).toBe(false);
  });
});
