// The faults of the chaos scenarios. Each one hits at a random moment of the load and resolves
// when it is over, describing what it did for the table.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@airline/shared';
import type { ChaosStack, Replicated } from './chaos-stack.ts';
import { between, type Fault } from './scenario.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// The work a process is in the middle of, so a kill lands mid-saga rather than between sagas.
const IN_FLIGHT: Partial<Record<Replicated, { what: string; service: ServiceName; sql: string }>> =
  {
    bookings: {
      what: 'sagas past payBooking',
      service: 'bookings',
      sql: `select count(*) as n from booking where status = 'PAYMENT_PENDING'`,
    },
    payments: {
      what: 'charges in flight',
      service: 'payments',
      sql: `select count(*) as n from payment where status = 'PENDING'`,
    },
    flights: {
      what: 'seat confirmations asked for',
      service: 'bookings',
      sql: `select count(*) as n from booking where saga_step = 'CONFIRMING_SEATS'`,
    },
  };

/** Waits (a few seconds at most) for the process to be in the middle of something; says what. */
async function midWork(stack: ChaosStack, name: Replicated): Promise<string> {
  const probe = IN_FLIGHT[name];
  if (!probe) return '';
  const deadline = Date.now() + 5_000;
  let count = 0;
  do {
    const [row] = await stack.reader.query<{ n: string }>(probe.service, probe.sql).catch(() => []);
    count = Number(row?.n ?? 0);
    if (count > 0) break;
    await sleep(50);
  } while (Date.now() < deadline);
  return ` with ${count} ${probe.what}`;
}

/** SIGKILL one process (the first replica) in the middle of its work, then start it again. */
export function killAndRestart(name: Replicated): Fault {
  return {
    name: `kill -9 ${name}`,
    async inject(stack) {
      const [victim] = stack.replicas(name);
      if (!victim) throw new Error(`no ${name} process to kill`);
      const during = await midWork(stack, name);
      const pid = victim.pid;
      await victim.kill();
      const pause = between(300, 1_500);
      await sleep(pause);
      const started = Date.now();
      await victim.start();
      return `SIGKILL ${name} (pid ${pid})${during}; restarted ${secs(pause)} later, ready in ${secs(Date.now() - started)}`;
    },
  };
}

/** Resets every connection to one dependency and refuses new ones for 5 to `maxMs` ms. */
export function cutConnections(dependency: keyof ChaosStack['proxies'], maxMs = 10_000): Fault {
  return {
    name: `cut ${dependency}`,
    async inject(stack) {
      const proxy = stack.proxies[dependency];
      const before = proxy.resets;
      const outage = between(5_000, maxMs);
      proxy.cut();
      await sleep(outage);
      proxy.restore();
      return `every ${dependency} connection reset and refused for ${secs(outage)} (${proxy.resets - before} resets)`;
    },
  };
}

/** Slows every byte to and from PostgreSQL, Redis and RabbitMQ for a while. */
export function slowNetwork(durationMs = 8_000): Fault {
  return {
    name: 'latency',
    async inject(stack) {
      const delay = between(100, 250);
      for (const proxy of Object.values(stack.proxies)) proxy.latency(delay);
      await sleep(durationMs);
      for (const proxy of Object.values(stack.proxies)) proxy.restore();
      return `${delay} ms added to every chunk to and from PostgreSQL, Redis and RabbitMQ for ${secs(durationMs)}`;
    },
  };
}

/** SIGTERM each replica of each named process in turn and start it again, as a rolling deploy does. */
export function rollingRestart(names: Replicated[], drainBoundMs: number): Fault {
  return {
    name: 'rolling restart (SIGTERM)',
    async inject(stack) {
      const drains: number[] = [];
      for (const name of names) {
        for (const replica of stack.replicas(name)) {
          const started = Date.now();
          const ended = await replica.stop(drainBoundMs);
          // The bound is the contract: a process that needed the SIGKILL did not drain.
          if (ended !== 'exited')
            throw new Error(
              `${replica.spec.name} did not exit within ${drainBoundMs} ms of SIGTERM`,
            );
          drains.push(Date.now() - started);
          await replica.start();
        }
      }
      return `SIGTERM and restart of ${names.join(', ')}, one replica at a time; each exited in ${secs(Math.min(...drains))}-${secs(Math.max(...drains))}`;
    },
  };
}

/**
 * SIGKILL one of the replicas of each named process, never restarted: the one whose outbox relay
 * is active, so the other must take the relay over (a random one for the gateway).
 */
export function killOneReplicaForGood(names: Replicated[]): Fault {
  return {
    name: 'one of two replicas killed',
    async inject(stack) {
      const killed: string[] = [];
      for (const name of names) {
        const live = stack.replicas(name).filter((r) => r.running);
        if (live.length < 2) throw new Error(`${name} has no second replica to keep`);
        const holders = await Promise.all(live.map((r) => r.holdsRelay()));
        const holder = live.find((_, i) => holders[i]);
        const victim = holder ?? live[Math.floor(Math.random() * live.length)]!;
        const during = await midWork(stack, name);
        await victim.kill();
        killed.push(`${victim.spec.name}${holder ? ' (active outbox relay)' : ''}${during}`);
        await sleep(between(200, 800));
      }
      return `SIGKILL ${killed.join(', ')}, for good`;
    },
  };
}
