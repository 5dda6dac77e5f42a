/** How a bounded event queue behaves once its reader falls behind. */
export interface EventQueueOptions<T> {
  /** Most events waiting for the reader; past it, new events are folded into the last one. */
  capacity: number;
  /** Folds a newer event into an older one (latest state wins); the result replaces the older. */
  merge: (older: T, newer: T) => T;
  /** Runs once when the queue ends, whichever side ended it (the reader's `return`, or `end`). */
  onClose?: () => void;
}

/**
 * A push-to-pull bridge with a bound: producers `push` without ever waiting, a reader pulls
 * with `for await`. A reader that stops reading costs at most `capacity` events, because events
 * beyond it are merged into the last waiting one instead of queued, so memory stays bounded
 * while the reader still ends up with the latest state.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  readonly #options: EventQueueOptions<T>;
  readonly #items: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #failWaiting: ((error: unknown) => void) | undefined;
  #closed = false;
  #error: unknown;
  #merged = 0;

  constructor(options: EventQueueOptions<T>) {
    this.#options = options;
  }

  /** Events waiting for the reader right now. */
  get size(): number {
    return this.#items.length;
  }

  /** How many events were folded into others because the reader was behind. */
  get merged(): number {
    return this.#merged;
  }

  /** Whether the queue has ended (no more pushes are taken). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an event; ignored once the queue has ended. */
  push(item: T): void {
    if (this.#closed) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = this.#failWaiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.#items.length < this.#options.capacity) {
      this.#items.push(item);
      return;
    }
    const last = this.#items.length - 1;
    this.#items[last] = this.#options.merge(this.#items[last]!, item);
    this.#merged++;
  }

  /** Ends the queue: the reader gets what is waiting, then `error` (thrown) or the end. */
  end(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    this.#options.onClose?.();
    if (this.#waiting && !this.#items.length) {
      const [resolve, reject] = [this.#waiting, this.#failWaiting!];
      this.#waiting = this.#failWaiting = undefined;
      if (error === undefined) resolve({ value: undefined, done: true });
      else reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#items.length) return Promise.resolve({ value: this.#items.shift()!, done: false });
    if (this.#closed) {
      if (this.#error === undefined) return Promise.resolve({ value: undefined, done: true });
      const error = this.#error;
      this.#error = undefined;
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failWaiting = reject;
    });
  }

  /** The reader is done (unsubscribed): drops what is waiting and ends the queue. */
  return(): Promise<IteratorResult<T>> {
    this.#items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.#items.length = 0;
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
