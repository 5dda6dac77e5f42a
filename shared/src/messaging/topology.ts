import type { Channel } from 'amqplib';
import type { ServiceName } from '../config.ts';
import {
  ALL_EXCHANGES,
  COMMAND_CATALOGUE,
  EVENT_CATALOGUE,
  isEventType,
  type CommandType,
  type EventType,
} from './events.ts';

// Retry without head-of-line blocking: one queue per retry level, each with its own fixed
// x-message-ttl, dead-lettering back into the work queue through the default exchange. Every
// message in one level waits the same time, so the head of a level's queue is always the next
// one due; a per-message `expiration` on one shared retry queue would make a 1 s retry wait
// behind a 60 s one. A message that has climbed the ladder keeps retrying at its top level until
// its retry window closes.
//
//   exchange --(routing key)--> <queue> --transient failure--> <queue>.retry.<delay>ms --ttl--> <queue>
//                                  \--permanent / malformed / window closed--> <prefix>dead-letters
//
// Dead letters of every consumer share one queue, so an operator (`npm run dlq`) and an alert
// read one place; each carries the consumer's work queue, for replay, and the reason.

/** How often and how slowly a failed message is retried before it is dead-lettered. */
export interface RetryPolicy {
  /** Levels of the retry ladder; 0 dead-letters on the first failure. */
  retries: number;
  /** Delay before the first retry; level n waits baseDelayMs * factor^(n-1), capped at maxDelayMs. */
  baseDelayMs: number;
  /** Growth of the delay per level (2 doubles it). */
  factor?: number;
  /** The longest wait between two attempts (no cap when absent). */
  maxDelayMs?: number;
  /**
   * How long a message that keeps failing transiently is retried, counted from its first failure,
   * before it is dead-lettered (default `DEFAULT_RETRY_WINDOW_MS`). Permanent failures never wait.
   */
  retryForMs?: number;
}

/** A day: an outage of a dependency delays messages for as long as it lasts, up to this. */
export const DEFAULT_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** 1 s, 3 s, 9 s, 27 s, 81 s, 4 min, 5 min, then every 5 min for a day. */
export const DEFAULT_RETRY: RetryPolicy = {
  retries: 7,
  baseDelayMs: 1_000,
  factor: 3,
  maxDelayMs: 300_000,
  retryForMs: DEFAULT_RETRY_WINDOW_MS,
};

/**
 * A policy whose ladder climbs from `baseDelayMs` by `factor` up to exactly `maxDelayMs` (the
 * last level), retrying at the top for `retryForMs`; what the configuration describes.
 */
export function cappedRetryPolicy(settings: {
  baseDelayMs: number;
  maxDelayMs: number;
  retryForMs: number;
  factor?: number;
}): RetryPolicy {
  const factor = settings.factor ?? 3;
  const maxDelayMs = Math.max(settings.baseDelayMs, settings.maxDelayMs);
  let retries = 1;
  while (settings.baseDelayMs * factor ** (retries - 1) < maxDelayMs && retries < 30) retries++;
  return {
    retries,
    baseDelayMs: settings.baseDelayMs,
    factor,
    maxDelayMs,
    retryForMs: settings.retryForMs,
  };
}

/** One routing key bound from one exchange (both logical, unprefixed names). */
export interface Binding {
  exchange: string;
  routingKey: string;
}

/** What a consumer's queues are called, prefixed, as declared on the broker. */
export interface QueueTopology {
  work: string;
  /** Where the broker itself dead-letters a rejected message; the consumer moves them on to `deadLetters`. */
  dlq: string;
  /** The dead-letter queue every consumer under the prefix shares. */
  deadLetters: string;
  /** Index i holds retry level i + 1. */
  retries: { name: string; delayMs: number }[];
}

/** The delays of each retry level of a policy, in milliseconds. */
export function retryDelays(policy: RetryPolicy): number[] {
  const factor = policy.factor ?? 2;
  const cap = policy.maxDelayMs ?? Number.POSITIVE_INFINITY;
  const delays = Array.from({ length: policy.retries }, (_, i) =>
    Math.round(Math.min(policy.baseDelayMs * factor ** i, cap)),
  );
  // Capped levels repeat the same delay: one queue serves them all.
  return delays.filter((delay, i) => delays.indexOf(delay) === i);
}

/** The real names of a consumer's work queue, dead-letter queue and retry levels. */
export function queueTopology(prefix: string, queue: string, policy: RetryPolicy): QueueTopology {
  const work = `${prefix}${queue}`;
  return {
    work,
    dlq: `${work}.dlq`,
    deadLetters: deadLetterQueue(prefix),
    // The delay is part of the name: queue arguments cannot change once declared, so a new
    // policy gets new retry queues instead of a PRECONDITION_FAILED at start-up.
    retries: retryDelays(policy).map((delayMs) => ({
      name: `${work}.retry.${delayMs}ms`,
      delayMs,
    })),
  };
}

/** The real name of the dead-letter queue shared by every consumer under a prefix. */
export function deadLetterQueue(prefix: string): string {
  return `${prefix}dead-letters`;
}

/** Bindings for the given events, each from the exchange the catalogue publishes it on. */
export function eventBindings(...types: EventType[]): Binding[] {
  return types.map((type) => ({ exchange: EVENT_CATALOGUE[type].exchange, routingKey: type }));
}

/** Bindings for every command a service executes, for its own command queue. */
export function commandBindings(service: ServiceName): Binding[] {
  return (Object.keys(COMMAND_CATALOGUE) as CommandType[])
    .filter((type) => COMMAND_CATALOGUE[type].service === service)
    .map((type) => ({ exchange: COMMAND_CATALOGUE[type].exchange, routingKey: type }));
}

/** Bindings for any catalogue message names (events and commands mixed). */
export function bindingsFor(...types: (EventType | CommandType)[]): Binding[] {
  return types.map((type) =>
    isEventType(type)
      ? { exchange: EVENT_CATALOGUE[type].exchange, routingKey: type }
      : { exchange: COMMAND_CATALOGUE[type].exchange, routingKey: type },
  );
}

/** The conventional name of a service's command queue. */
export function commandQueue(service: ServiceName): string {
  return `${service}.commands`;
}

/** Declares every exchange of the catalogue: durable topic exchanges (idempotent). */
export async function declareExchanges(channel: Channel, prefix: string): Promise<void> {
  for (const exchange of ALL_EXCHANGES) {
    await channel.assertExchange(`${prefix}${exchange}`, 'topic', { durable: true });
  }
}

/**
 * Declares one consumer's durable work queue bound to its routing keys, its dead-letter queue
 * and one retry queue per retry level (idempotent: every process declares what it uses).
 */
export async function declareConsumerQueues(
  channel: Channel,
  prefix: string,
  spec: { queue: string; bindings: Binding[]; retry: RetryPolicy },
): Promise<QueueTopology> {
  const names = queueTopology(prefix, spec.queue, spec.retry);
  await channel.assertQueue(names.deadLetters, { durable: true });
  await channel.assertQueue(names.dlq, { durable: true });
  await channel.assertQueue(names.work, {
    durable: true,
    // Anything the broker itself rejects (a nack without requeue) still ends in the DLQ.
    arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.dlq },
  });
  for (const level of names.retries) {
    await channel.assertQueue(level.name, {
      durable: true,
      arguments: {
        'x-message-ttl': level.delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': names.work,
      },
    });
  }
  for (const binding of spec.bindings) {
    await channel.bindQueue(names.work, `${prefix}${binding.exchange}`, binding.routingKey);
  }
  return names;
}
