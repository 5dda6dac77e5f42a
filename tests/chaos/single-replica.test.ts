// Crashes and broken connections with one replica of everything: each process killed with SIGKILL
// and restarted, every connection to PostgreSQL, Redis and RabbitMQ cut for seconds, all of them
// slowed down. After each, with a deadline, every invariant must hold (see invariants.ts).
import { cutConnections, killAndRestart, slowNetwork } from './faults.ts';
import { useChaosStack } from './suite.ts';

describe('chaos, one replica of each process', () => {
  const suite = useChaosStack('chaos: one replica', { label: 'single' });

  it('bookings killed with SIGKILL mid-saga and restarted: nothing lost, stuck or charged twice', async () => {
    await suite.scenario(killAndRestart('bookings'));
  });

  it('payments killed with SIGKILL mid-charge and restarted: every charge settled from the provider', async () => {
    await suite.scenario(killAndRestart('payments'));
  });

  it('flights killed with SIGKILL mid-confirmation and restarted: every seat booked once', async () => {
    await suite.scenario(killAndRestart('flights'));
  });

  it('the gateway killed with SIGKILL and restarted: clients retry, nothing acknowledged is lost', async () => {
    await suite.scenario(killAndRestart('gateway'));
  });

  it('every PostgreSQL connection cut for seconds: work resumes when the database is back', async () => {
    await suite.scenario(cutConnections('postgres'));
  });

  it('every Redis connection cut for seconds: holds and releases are retried, none leaks', async () => {
    await suite.scenario(cutConnections('redis'));
  });

  it('every RabbitMQ connection cut for seconds: outboxes wait, consumers re-subscribe', async () => {
    await suite.scenario(cutConnections('rabbitmq'));
  });

  it('slow PostgreSQL, Redis and RabbitMQ: the saga still ends right', async () => {
    await suite.scenario(slowNetwork());
  });
});
