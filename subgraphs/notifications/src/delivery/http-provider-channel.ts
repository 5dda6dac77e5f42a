import type { OutgoingMessage } from '../notification/notification-store.ts';
import { Channel } from '../notification/vocabulary.ts';
import { RejectedByProvider, type Accepted, type ChannelAdapter } from './channel-adapter.ts';

/** Where an HTTP messaging provider is and how we authenticate to it. */
export interface HttpProviderSettings {
  /** The provider's base URL; messages are POSTed to `<url>/v1/messages`. */
  url: string;
  apiKey: string;
  timeoutMs: number;
}

/**
 * The provider API both adapters speak (the shape of the common SMS and push providers):
 * `POST /v1/messages` with a bearer API key and an `Idempotency-Key` header, answered 2xx with
 * `{ id }`. The key is the notification id, the same on every attempt and replay: a provider
 * that accepted a message whose answer we never saw (timeout, crash before recording) answers the
 * retry with the first result instead of sending it again.
 */
abstract class HttpProviderChannel implements ChannelAdapter {
  abstract readonly channel: Channel;
  readonly provider: string;
  readonly #settings: HttpProviderSettings;
  readonly #endpoint: string;

  constructor(settings: HttpProviderSettings) {
    this.#settings = settings;
    this.#endpoint = `${settings.url.replace(/\/+$/, '')}/v1/messages`;
    this.provider = `${new URL(settings.url).host}${new URL(settings.url).pathname}`;
  }

  /** The provider's request body for one message. */
  protected abstract body(message: OutgoingMessage): Record<string, unknown>;

  async send(message: OutgoingMessage): Promise<Accepted> {
    const res = await fetch(this.#endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.#settings.apiKey}`,
        'idempotency-key': message.id,
      },
      body: JSON.stringify(this.body(message)),
      signal: AbortSignal.timeout(this.#settings.timeoutMs),
    });
    const json = (await res.json().catch(() => ({}))) as { id?: unknown; error?: unknown };
    if (res.ok) return { providerMessageId: typeof json.id === 'string' ? json.id : null };
    const detail = `${this.provider} answered ${res.status}${json.error ? `: ${JSON.stringify(json.error).slice(0, 300)}` : ''}`;
    // 408 and 429 say "later"; other 4xx say "never" (a bad number, an unknown user).
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
      throw new RejectedByProvider(detail);
    throw new Error(detail);
  }

  async close(): Promise<void> {}
}

/** SMS through an HTTP provider: the short text to an E.164 number. */
export class SmsChannel extends HttpProviderChannel {
  readonly channel = Channel.SMS;

  protected body(message: OutgoingMessage): Record<string, unknown> {
    return { to: message.recipient, text: message.bodyText, reference: message.id };
  }
}

/** Push through an HTTP provider: title and short text to the user's devices, by our customer id. */
export class PushChannel extends HttpProviderChannel {
  readonly channel = Channel.PUSH;

  protected body(message: OutgoingMessage): Record<string, unknown> {
    return {
      to: message.recipient,
      title: message.subject,
      text: message.bodyText,
      data: { kind: message.kind, bookingId: message.bookingId },
      reference: message.id,
    };
  }
}
