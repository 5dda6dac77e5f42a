import express, { type Router } from 'express';

/** A message an HTTP provider sink accepted. */
export interface ProviderMessage {
  /** The provider's id for it. */
  id: string;
  idempotencyKey: string | null;
  to: string;
  title: string | null;
  text: string;
  data: unknown;
  receivedAt: string;
}

/** How the sink behaves (tests and the README's demo switch it). */
export interface ProviderBehaviour {
  /** Answers every request with this status (e.g. 503: an outage; 400: refused); null accepts. */
  failWith: number | null;
  /** Waits this long before answering. */
  latencyMs: number;
}

/**
 * An SMS or push provider for local use and tests, speaking the API our adapters use:
 * `POST /v1/messages` with a bearer key and an `Idempotency-Key`. Like the real ones, a key it
 * has accepted before gets the first answer again and sends nothing; a failed request is not
 * remembered, so its retry is a new attempt. Requests are counted, accepted or not.
 */
export class ProviderSink {
  readonly name: string;
  readonly behaviour: ProviderBehaviour = { failWith: null, latencyMs: 0 };
  readonly #messages: ProviderMessage[] = [];
  readonly #byKey = new Map<string, ProviderMessage>();
  #requests = 0;

  constructor(name: string) {
    this.name = name;
  }

  /** What was accepted, oldest first. */
  get messages(): readonly ProviderMessage[] {
    return this.#messages;
  }

  /** Every POST it answered, failures and idempotent repeats included. */
  get requests(): number {
    return this.#requests;
  }

  /** The provider's routes, to mount under a path of the sink server. */
  router(): Router {
    const router = express.Router();
    router.post('/v1/messages', express.json({ limit: '64kb' }), async (req, res) => {
      this.#requests += 1;
      if (this.behaviour.latencyMs)
        await new Promise((r) => setTimeout(r, this.behaviour.latencyMs));
      if (!/^Bearer \S+$/.test(req.header('authorization') ?? ''))
        return res.status(401).json({ error: 'missing API key' });
      if (this.behaviour.failWith)
        return res
          .status(this.behaviour.failWith)
          .json({ error: `${this.name} sink: simulated ${this.behaviour.failWith}` });
      const body = req.body as Record<string, unknown>;
      if (typeof body.to !== 'string' || typeof body.text !== 'string')
        return res.status(400).json({ error: 'to and text are required' });
      const key = req.header('idempotency-key') ?? null;
      const earlier = key ? this.#byKey.get(key) : undefined;
      if (earlier) return res.status(200).json({ id: earlier.id, duplicate: true });
      const message: ProviderMessage = {
        id: `${this.name}-${this.#messages.length + 1}`,
        idempotencyKey: key,
        to: body.to,
        title: typeof body.title === 'string' ? body.title : null,
        text: body.text,
        data: body.data ?? null,
        receivedAt: new Date().toISOString(),
      };
      this.#messages.push(message);
      if (key) this.#byKey.set(key, message);
      res.status(201).json({ id: message.id });
    });
    return router;
  }
}
