import { useBookingStack } from '../testkit/stack.ts';
import {
  CARDS,
  createBooking,
  eventually,
  freshFlight,
  newCustomer,
  payBooking,
  waitForStatus,
} from '../testkit/flows.ts';

const suite = useBookingStack('metrics');

/** The sum of every sample of `name` whose labels include all of `labels`. */
function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`)))
      sum += Number(match[3]);
  }
  return sum;
}

async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

describe('Prometheus metrics', () => {
  test('after a confirmed booking every process serves /metrics and the RED, domain and runtime metrics moved', async () => {
    const flightId = await freshFlight(suite.gw, suite.agent);
    const me = await newCustomer(suite.gw);
    const held = await createBooking(suite.gw, me.token, flightId, ['11A']);
    const bookingId = held.data!.createBooking.id;
    await payBooking(suite.gw, me.token, bookingId, CARDS.approved);
    expect((await waitForStatus(suite.gw, me.token, bookingId, ['CONFIRMED'])).status).toBe(
      'CONFIRMED',
    );

    const urls = [
      suite.stack.gatewayUrl,
      ...Object.values(suite.stack.subgraphs).map((s) => s.url),
    ];
    // In tests every service shares one process, hence one registry: each page shows it all.
    const pages = await Promise.all(urls.map(scrape));
    const text = pages[0]!;
    for (const page of pages) expect(page).toContain('graphql_requests_total');

    expect(
      sampleSum(text, 'graphql_requests_total', { service: 'gateway', outcome: 'ok' }),
    ).toBeGreaterThan(0);
    expect(
      sampleSum(text, 'graphql_request_duration_seconds_count', { service: 'bookings' }),
    ).toBeGreaterThan(0);
    expect(
      sampleSum(text, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'bookings' }),
    ).toBeGreaterThan(0);
    expect(sampleSum(text, 'bookings_seat_holds_total', { result: 'created' })).toBeGreaterThan(0);
    expect(sampleSum(text, 'payments_results_total', { result: 'succeeded' })).toBeGreaterThan(0);
    expect(text).toMatch(/^circuit_breaker_state\{breaker="payment-provider"\} 0$/m);
    expect(text).toMatch(/^outbox_lag_seconds\{service="[^"]+"\} /m);
    expect(sampleSum(text, 'pg_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('graphql_subscriptions_active{service="gateway"}');
    // The saga outcome is counted by the live-publishing consumer once the change committed.
    const outcomes = await eventually(
      async () =>
        sampleSum(await scrape(suite.stack.gatewayUrl), 'bookings_saga_outcomes_total', {
          state: 'CONFIRMED',
        }),
      (n) => n > 0,
    );
    expect(outcomes).toBeGreaterThan(0);
  });
});
