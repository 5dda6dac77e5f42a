import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { liveChannel, type LiveMessage, type LiveTopic } from './topics.ts';

/** Receives one live message of a channel. */
export type LiveListener = (message: LiveMessage) => void;

/**
 * A process's ear on live topics: one Redis connection in subscriber mode for the whole process
 * and one SUBSCRIBE per channel that has listeners here, counted, so a thousand subscriptions
 * to one flight cost one channel subscription and each message is parsed once.
 */
export class LiveSubscriber {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #channels = new Map<string, { listeners: Set<LiveListener>; ready: Promise<unknown> }>();

  /** `redisPrefix` is the deployment's prefix (config.redisPrefix), added to channel names. */
  constructor(redisUrl: string, redisPrefix: string, logger: Logger, purpose: string) {
    this.#prefix = redisPrefix;
    this.#logger = logger;
    // ioredis re-subscribes every channel after a reconnect (autoResubscribe).
    this.#redis = new Redis(redisUrl, { connectionName: `${purpose}:live`, lazyConnect: false });
    this.#redis.on('error', (err) => logger.warn({ err }, 'live subscriber connection error'));
    this.#redis.on('message', (channel: string, text: string) => this.#deliver(channel, text));
  }

  /** Calls `listener` with every message of the entity's topic until the returned function runs. */
  async listen(topic: LiveTopic, entityId: string, listener: LiveListener): Promise<() => void> {
    const channel = liveChannel(this.#prefix, topic, entityId);
    let entry = this.#channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), ready: this.#redis.subscribe(channel) };
      this.#channels.set(channel, entry);
    }
    const { listeners } = entry;
    listeners.add(listener);
    // A listener that joins while the SUBSCRIBE is under way waits for it too.
    await entry.ready;
    return () => {
      if (!listeners.delete(listener) || listeners.size) return;
      this.#channels.delete(channel);
      this.#redis.unsubscribe(channel).catch((err: unknown) => {
        this.#logger.warn({ err, channel }, 'live unsubscribe failed');
      });
    };
  }

  /** Channels with at least one listener in this process. */
  get channels(): number {
    return this.#channels.size;
  }

  /** Closes the connection; listeners hear nothing more. */
  close(): void {
    this.#channels.clear();
    this.#redis.disconnect();
  }

  #deliver(channel: string, text: string): void {
    const listeners = this.#channels.get(channel)?.listeners;
    if (!listeners) return;
    let message: LiveMessage;
    try {
      message = JSON.parse(text) as LiveMessage;
    } catch (err) {
      this.#logger.warn({ err, channel }, 'unreadable live message dropped');
      return;
    }
    for (const listener of listeners) listener(message);
  }
}
