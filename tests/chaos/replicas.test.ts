// Two replicas of every subgraph and of the gateway behind round-robins, on one PostgreSQL, Redis
// and RabbitMQ: competing consumers, one active outbox relay per service, shared sweepers. A
// rolling restart with SIGTERM must drain within its bound; a replica killed for good must leave
// the other doing all the work (relay failover included).
import { killOneReplicaForGood, rollingRestart } from './faults.ts';
import { useChaosStack } from './suite.ts';

/** What a SIGTERM may take: runService forces an exit after 10 s; a little slack for the OS. */
const DRAIN_BOUND_MS = 12_000;

describe('chaos, two replicas of each process', () => {
  const suite = useChaosStack('chaos: two replicas', { label: 'replicas', replicas: 2 });

  it('a rolling restart with SIGTERM under load: each replica drains within its bound and nothing is lost', async () => {
    await suite.scenario(rollingRestart(['bookings', 'payments'], DRAIN_BOUND_MS), {
      faultWindowMs: [1_000, 2_000],
    });
  });

  it('one of two replicas of bookings, payments, flights and the gateway killed for good: the survivors carry on', async () => {
    await suite.scenario(killOneReplicaForGood(['bookings', 'payments', 'flights', 'gateway']));
  });
});
