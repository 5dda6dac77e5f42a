// One client process of the fan-out bench (forked by fanout.ts): opens its share of the
// subscribers, each its own WebSocket to the gateway, ramped, all on one flight's seat map, and
// notes when each seat change reaches each of them.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What the parent tells this process. */
export type FanoutCommand =
  | { type: 'start'; url: string; flightId: string; count: number; perSecond: number }
  | { type: 'collect' }
  | { type: 'stop' };

/** What this process tells the parent. */
export type FanoutReport =
  | { type: 'ready'; subscribed: number; failed: number }
  | {
      type: 'events';
      /** `seat:status` -> when each subscriber received it (ms since the epoch). */
      arrivals: Record<string, number[]>;
      received: number;
      errors: number;
    };

const SUBSCRIPTION = `subscription($id: ID!) {
  seatMapChanged(flightId: $id) { version seats { number status } }
}`;

const clients: Client[] = [];
let arrivals: Record<string, number[]> = {};
let received = 0;
let errors = 0;

function send(report: FanoutReport): void {
  process.send!(report);
}

async function start(cmd: Extract<FanoutCommand, { type: 'start' }>): Promise<void> {
  let subscribed = 0;
  let failed = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < cmd.count; i++) {
    const client = createClient({ url: cmd.url, webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    pending.push(
      new Promise<void>((resolve) => {
        let first = true;
        client.subscribe<{ seatMapChanged: { seats: { number: string; status: string }[] } }>(
          { query: SUBSCRIPTION, variables: { id: cmd.flightId } },
          {
            next: (event) => {
              const now = Date.now();
              if (first) {
                // The snapshot: this subscriber is live end to end.
                first = false;
                subscribed++;
                resolve();
                return;
              }
              received++;
              for (const seat of event.data?.seatMapChanged.seats ?? [])
                (arrivals[`${seat.number}:${seat.status}`] ??= []).push(now);
            },
            error: () => {
              errors++;
              if (first) {
                first = false;
                failed++;
                resolve();
              }
            },
            complete: () => resolve(),
          },
        );
      }),
    );
    // Ramp: a steady number of new connections per second.
    if ((i + 1) % Math.max(1, Math.round(cmd.perSecond / 20)) === 0)
      await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(pending);
  send({ type: 'ready', subscribed, failed });
}

process.on('message', (cmd: FanoutCommand) => {
  if (cmd.type === 'start') void start(cmd);
  else if (cmd.type === 'collect') {
    send({ type: 'events', arrivals, received, errors });
    arrivals = {};
    received = 0;
  } else {
    void Promise.all(clients.map((c) => c.dispose())).finally(() => process.exit(0));
  }
});
