// The explorer at /explorer is GraphiQL bundled with the app: it loads with nothing from outside
// this machine (no CDN), runs queries over HTTP and subscriptions over graphql-ws.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createBooking, newCustomer } from '../testkit/flows.ts';
import {
  assertHealthy,
  dayAhead,
  scheduleFlight,
  screenshot,
  startWebSuite,
  waitUntil,
  type WebSuite,
} from './harness.ts';

let suite: WebSuite;
before(
  async () => {
    suite = await startWebSuite('web-explorer');
  },
  { timeout: 120_000 },
);
after(
  async () => {
    await suite?.close();
  },
  { timeout: 60_000 },
);

/** The text GraphiQL shows in its response pane, its (non-breaking) spaces as plain ones. */
const responseText = async (page: Page) =>
  (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');

/** Runs the operation in the editor once the editor shows it (GraphiQL loads its editor lazily). */
async function run(page: Page, shows: string): Promise<void> {
  await waitUntil(
    () => page.locator('.graphiql-query-editor').innerText(),
    (text) => text.includes(shows),
    'the operation in the editor',
  );
  await page.getByRole('button', { name: /Execute query/ }).click();
}

test(
  'the bundled explorer runs a query and a live subscription without leaving the machine',
  { timeout: 90_000 },
  async () => {
    const tab = await suite.open();
    const { page } = tab;
    await page.goto(
      `/explorer?query=${encodeURIComponent('{ airport(code: "LHR") { code timeZone } }')}`,
    );
    await run(page, 'timeZone');
    await waitUntil(
      () => responseText(page),
      (text) => text.includes('"code": "LHR"'),
      'the query answered',
    );
    assert.match(await responseText(page), /"timeZone": "Europe\/London"/);
    await screenshot(page, 'explorer');

    const flight = await scheduleFlight(suite, {
      origin: 'LHR',
      destination: 'CDG',
      departure: `${dayAhead(9)}T08:00:00Z`,
    });
    const subscription =
      'subscription($f: ID!) { seatMapChanged(flightId: $f) { version seats { number status } } }';
    await page.goto(
      `/explorer?query=${encodeURIComponent(subscription)}&variables=${encodeURIComponent(JSON.stringify({ f: flight.id }))}`,
    );
    await run(page, 'seatMapChanged');
    // The first message is the whole map.
    await waitUntil(
      () => responseText(page),
      (text) => text.includes('"version"'),
      'the first seat map message',
    );
    const customer = await newCustomer(suite.stack.gateway);
    await createBooking(suite.stack.gateway, customer.token, flight.id, ['9F']);
    await waitUntil(
      () => responseText(page),
      (text) => text.includes('"number": "9F", "status": "HELD"'),
      'the hold arriving in the explorer',
    );
    assertHealthy(tab);
  },
);
