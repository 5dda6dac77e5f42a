import { ConfigError } from '../shared/src/config.ts';
import { replicaCount, withReplicas } from './replicas.ts';

describe('REPLICAS for npm start', () => {
  const processes = [
    { name: 'bookings', command: 'node subgraphs/bookings/src/main.ts' },
    { name: 'provider', command: 'node payment-provider/src/main.ts' },
    { name: 'gateway', command: 'node gateway/src/main.ts' },
  ];
  const ports = { bookings: 4003, gateway: 4000 };

  it('runs each subgraph and the gateway n times on their own ports, behind a round-robin on the usual port', () => {
    const started = withReplicas(processes, 2, ports);
    expect(started.map((p) => [p.name, p.env])).toEqual([
      ['bookings#1', { BOOKINGS_PORT: '4103' }],
      ['bookings#2', { BOOKINGS_PORT: '4203' }],
      ['lb:bookings', undefined],
      // The payment provider stands for an outside system: one of it.
      ['provider', undefined],
      ['gateway#1', { GATEWAY_PORT: '4100' }],
      ['gateway#2', { GATEWAY_PORT: '4200' }],
      ['lb:gateway', undefined],
    ]);
    expect(started.find((p) => p.name === 'lb:gateway')?.command).toBe(
      'node scripts/round-robin.ts 4000 4100 4200',
    );
  });

  it('one replica changes nothing; anything but 1 to 9 is refused with one line', () => {
    expect(withReplicas(processes, 1, ports)).toBe(processes);
    expect(replicaCount(undefined)).toBe(1);
    expect(replicaCount('3')).toBe(3);
    expect(() => replicaCount('two')).toThrow(ConfigError);
    expect(() => replicaCount('0')).toThrow(/REPLICAS must be a whole number from 1 to 9/);
  });
});
