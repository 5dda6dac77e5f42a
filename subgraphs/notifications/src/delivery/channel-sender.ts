import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Logger, MikroORM } from '@airline/shared';
import {
  claimDue,
  recordOutcome,
  type AttemptOutcome,
  type OutgoingMessage,
} from '../notification/notification-store.ts';
import { DeliveryStatus } from '../notification/vocabulary.ts';
import { WorkLoop } from '../work-loop.ts';
import { RejectedByProvider, type ChannelAdapter } from './channel-adapter.ts';
import { retriesExhausted, retryDelayMs, type RetrySchedule } from './retry-schedule.ts';

/** Tuning of one channel's sender. */
export interface SenderOptions {
  /** Messages of this channel in flight at once (per process). */
  concurrency: number;
  pollMs: number;
  /** How long a claimed message is reserved; longer than any one send can take. */
  leaseMs: number;
  retry: RetrySchedule;
  /** Consecutive failed sends that open the provider's circuit, and how long it stays open. */
  breaker: { failuresToOpen: number; halfOpenAfterMs: number };
}

/**
 * Sends one channel's due messages through its adapter: at most `concurrency` at once, claimed
 * only when a slot is free (the rest stay for other replicas), each attempt outside any
 * transaction and recorded after. Each channel has its own sender, slots and circuit breaker, so
 * a slow or failing SMTP server never holds up SMS or push, and one slow message holds one slot.
 * A failed attempt is retried with backoff and jitter until the retries are used up, then the
 * message is DEAD_LETTERED; while the provider's circuit is open, messages wait without using
 * attempts.
 */
export class ChannelSender {
  readonly #orm: Pick<MikroORM, 'em'>;
  readonly #adapter: ChannelAdapter;
  readonly #options: SenderOptions;
  readonly #logger: Logger;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #loop: WorkLoop;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    orm: Pick<MikroORM, 'em'>,
    adapter: ChannelAdapter,
    options: SenderOptions,
    logger: Logger,
  ) {
    this.#orm = orm;
    this.#adapter = adapter;
    this.#options = options;
    this.#logger = logger.child({ component: 'sender', channel: adapter.channel });
    // A refusal for good is about the message, not the provider's health.
    this.#breaker = circuitBreaker(
      handleWhen((err) => !(err instanceof RejectedByProvider)),
      {
        halfOpenAfter: options.breaker.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.breaker.failuresToOpen),
      },
    );
    this.#breaker.onBreak(() =>
      this.#logger.warn({ provider: adapter.provider }, 'provider circuit opened'),
    );
    this.#breaker.onReset(() =>
      this.#logger.info({ provider: adapter.provider }, 'provider circuit closed'),
    );
    this.#loop = new WorkLoop(
      `sender ${adapter.channel}`,
      () => this.#dispatch(),
      options.pollMs,
      this.#logger,
    );
  }

  start(): void {
    this.#loop.start();
  }

  kick(): void {
    this.#loop.kick();
  }

  /** Stops claiming, lets the sends in flight finish and record, closes the adapter. */
  async stop(): Promise<void> {
    await this.#loop.stop();
    await Promise.allSettled([...this.#inFlight]);
    await this.#adapter.close();
  }

  /** Claims as many due messages as there are free slots and starts sending them. */
  async #dispatch(): Promise<boolean> {
    const free = this.#options.concurrency - this.#inFlight.size;
    if (free <= 0) return false;
    const claimed = await claimDue(
      this.#orm.em.fork(),
      this.#adapter.channel,
      free,
      this.#options.leaseMs,
    );
    for (const message of claimed) {
      const sending: Promise<void> = this.#deliver(message)
        .catch((err: unknown) =>
          // Recording failed (database down): the lease runs out and the message is sent again
          // under the same Message-ID / idempotency key.
          this.#logger.error({ err, notificationId: message.id }, 'could not record a send'),
        )
        .finally(() => {
          this.#inFlight.delete(sending);
          this.#loop.kick();
        });
      this.#inFlight.add(sending);
    }
    // A full batch: there may be more right away (once a slot frees, the kick comes back here).
    return claimed.length === free;
  }

  async #deliver(message: OutgoingMessage): Promise<void> {
    const outcome = await this.#attempt(message);
    const recorded = await recordOutcome(this.#orm.em.fork(), message, outcome);
    const log = { notificationId: message.id, kind: message.kind, attempts: message.attempts };
    if (!recorded) this.#logger.warn(log, 'lease lapsed before the outcome was recorded');
    else if (outcome.status === DeliveryStatus.DEAD_LETTERED)
      this.#logger.error({ ...log, error: outcome.error }, 'message dead-lettered');
    else if (outcome.status === DeliveryStatus.FAILED)
      this.#logger.warn({ ...log, error: outcome.error }, 'send failed; retrying later');
  }

  async #attempt(message: OutgoingMessage): Promise<AttemptOutcome> {
    try {
      const accepted = await this.#breaker.execute(() => this.#adapter.send(message));
      return { status: DeliveryStatus.SENT, providerMessageId: accepted.providerMessageId };
    } catch (err) {
      const error = describe(err);
      if (err instanceof BrokenCircuitError)
        return {
          status: 'DEFERRED',
          error: `${this.#adapter.provider}: circuit open`,
          nextAttemptAt: new Date(Date.now() + this.#options.breaker.halfOpenAfterMs),
        };
      if (err instanceof RejectedByProvider) return { status: DeliveryStatus.DEAD_LETTERED, error };
      const attemptsSinceReplay = message.attempts - message.retryBase;
      if (retriesExhausted(attemptsSinceReplay, this.#options.retry))
        return { status: DeliveryStatus.DEAD_LETTERED, error };
      return {
        status: DeliveryStatus.FAILED,
        error,
        nextAttemptAt: new Date(
          Date.now() + retryDelayMs(attemptsSinceReplay, this.#options.retry),
        ),
      };
    }
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 1000);
}
