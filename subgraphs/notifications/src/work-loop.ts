import type { Logger } from '@airline/shared';

/**
 * Runs one step of background work again and again: at once while a step finds work, otherwise
 * when kicked (a NOTIFY, a finished send) or after `pollMs` at the latest. A failing step is
 * logged and retried after `pollMs`; `stop` waits for the step in progress.
 */
export class WorkLoop {
  readonly #name: string;
  readonly #step: () => Promise<boolean>;
  readonly #pollMs: number;
  readonly #logger: Logger;
  #running: Promise<void> | undefined;
  #stopping = false;
  #kicked = false;
  #wake: (() => void) | undefined;

  constructor(name: string, step: () => Promise<boolean>, pollMs: number, logger: Logger) {
    this.#name = name;
    this.#step = step;
    this.#pollMs = pollMs;
    this.#logger = logger;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Makes the loop look for work now (or as soon as its current step ends). */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#kicked = false;
      let found = false;
      try {
        found = await this.#step();
      } catch (err) {
        this.#logger.error({ err, loop: this.#name }, 'background work failed; trying again');
      }
      if (!found && !this.#kicked && !this.#stopping) await this.#sleep();
    }
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}
