import type { OutgoingMessage } from '../notification/notification-store.ts';
import type { Channel } from '../notification/vocabulary.ts';

/** What a provider answered for a message it accepted. */
export interface Accepted {
  /** The provider's own id of the message (SMTP: the server's queue id line). */
  providerMessageId: string | null;
}

/**
 * The provider refused the message for good (an address that does not exist, a malformed number):
 * retrying cannot help, so it is dead-lettered at once.
 */
export class RejectedByProvider extends Error {
  override name = 'RejectedByProvider';
}

/**
 * One way out: e-mail over SMTP, SMS or push through a provider's HTTP API. Adapters only
 * transport; retries, circuit breaking and bookkeeping are the sender's. The message id is the
 * identity the provider sees (Message-ID, idempotency key), the same on every attempt.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** A name for logs and the circuit breaker, e.g. `smtp 127.0.0.1:2525`. */
  readonly provider: string;
  send(message: OutgoingMessage): Promise<Accepted>;
  close(): Promise<void>;
}
