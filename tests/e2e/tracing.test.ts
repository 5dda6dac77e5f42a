// One confirmed booking is one trace: the gateway's request, the subgraphs it calls and the
// RabbitMQ hops of the saga (publish from the outbox, consume, publish again, ...), collected by an
// OTLP/HTTP receiver in this process exactly as Jaeger would receive them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startTracing } from '../../shared/src/tracing/sdk.ts';

interface ReceivedSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number>;
}

/** An OTLP/HTTP JSON receiver keeping every span it is sent. */
async function otlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: { scopeSpans?: { spans?: RawSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push(toSpan(s));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface RawSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

function toSpan(s: RawSpan): ReceivedSpan {
  const attributes: Record<string, string | number> = {};
  for (const a of s.attributes ?? [])
    attributes[a.key] = a.value.stringValue ?? Number(a.value.intValue);
  return { traceId: s.traceId, name: s.name, kind: s.kind, attributes };
}

// Started before the stack is imported, as the --import preload does in a real process.
process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
const receiver = await otlpReceiver();
const tracing = startTracing({ serviceName: 'airline-e2e', endpoint: receiver.url });
const { useBookingStack } = await import('../testkit/stack.ts');
const flows = await import('../testkit/flows.ts');

const suite = useBookingStack('tracing');
afterAll(async () => {
  await tracing.shutdown();
  await receiver.close();
});

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

describe('distributed tracing', () => {
  test('a confirmed booking is one trace across the gateway, the subgraphs and at least two RabbitMQ hops', async () => {
    const flightId = await flows.freshFlight(suite.gw, suite.agent);
    const me = await flows.newCustomer(suite.gw);
    const held = await flows.createBooking(suite.gw, me.token, flightId, ['14A']);
    const bookingId = held.data!.createBooking.id;

    // The client starts the trace: the gateway continues the W3C context it is sent.
    const traceId = randomBytes(16).toString('hex');
    const paying = await suite.gw.request(
      `mutation($i: PayBookingInput!) { payBooking(input: $i) { id status } }`,
      {
        i: {
          bookingId,
          idempotencyKey: `pay-${bookingId}`,
          card: {
            number: flows.CARDS.approved,
            expMonth: 12,
            expYear: new Date().getUTCFullYear() + 2,
            cvc: '123',
            holderName: 'Ada Lovelace',
          },
        },
      },
      {
        token: me.token,
        headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      },
    );
    expect(paying.errors).toBeUndefined();
    await flows.waitForStatus(suite.gw, me.token, bookingId, ['CONFIRMED']);

    const gatewayPort = new URL(suite.stack.gatewayUrl).port;
    const bookingsPort = String(suite.stack.subgraphs.bookings!.port);
    const inTrace = await flows.eventually(
      async () => receiver.spans.filter((s) => s.traceId === traceId),
      // Spans arrive in export batches, each process on its own schedule: wait for all of them.
      (spans) =>
        ['bookings.saga process', 'flights.commands process'].every((name) =>
          spans.some((s) => s.kind === CONSUMER && s.name === name),
        ) &&
        ['PaymentCompleted publish', 'ConfirmSeats publish', 'SeatsConfirmed publish'].every(
          (name) => spans.some((s) => s.kind === PRODUCER && s.name === name),
        ),
    );
    const servers = inTrace
      .filter((s) => s.kind === SERVER)
      .map((s) => String(s.attributes['server.port'] ?? s.attributes['net.host.port']));
    expect(servers).toContain(gatewayPort);
    expect(servers).toContain(bookingsPort);
    // payments -> bookings (PaymentCompleted), bookings -> flights (ConfirmSeats), and back.
    const published = inTrace.filter((s) => s.kind === PRODUCER).map((s) => s.name);
    expect(published).toEqual(
      expect.arrayContaining([
        'PaymentCompleted publish',
        'ConfirmSeats publish',
        'SeatsConfirmed publish',
      ]),
    );
  });

  test('a GraphQL error carries the trace id of its request in extensions', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await suite.gw.request(
      '{ booking(id: "00000000-0000-4000-8000-000000000000") { id } }',
      {},
      {
        token: (await flows.newCustomer(suite.gw)).token,
        headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      },
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', traceId });
  });
});
