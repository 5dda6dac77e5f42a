// The app for people who do not use a mouse or do not see the screen: the seat map is chosen
// with the keyboard alone, and an axe-core scan of every page finds nothing serious or critical.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { createBooking, newCustomer, payBooking, CARDS, waitForStatus } from '../testkit/flows.ts';
import {
  assertHealthy,
  dayAhead,
  expectVisible,
  PHONE,
  scheduleFlight,
  seatButton,
  startWebSuite,
  waitUntil,
  type WebSuite,
} from './harness.ts';

let suite: WebSuite;
before(
  async () => {
    suite = await startWebSuite('web-a11y');
  },
  { timeout: 120_000 },
);
after(
  async () => {
    await suite?.close();
  },
  { timeout: 60_000 },
);

/** The seat number of the focused element (undefined when it is not a seat). */
const focusedSeat = (page: Page) =>
  page.evaluate('document.activeElement?.dataset?.seat') as Promise<string | undefined>;

/** Presses `key` and returns the seat focused afterwards. */
async function press(page: Page, key: string): Promise<string | undefined> {
  await page.keyboard.press(key);
  return focusedSeat(page);
}

test('a seat is chosen and held with the keyboard alone', { timeout: 90_000 }, async () => {
  const flight = await scheduleFlight(suite, {
    origin: 'BOS',
    destination: 'JFK',
    departure: `${dayAhead(15)}T12:00:00Z`,
  });
  const customer = await newCustomer(suite.stack.gateway);
  const tab = await suite.open({ token: customer.token });
  const { page } = tab;
  await page.goto(`/flights/${flight.id}?passengers=1`);
  await expectVisible(seatButton(page, '1A'), 'the seat map');

  // Tab from the top of the page until the seat map takes the focus: one stop, its first seat.
  await waitUntil(
    () => press(page, 'Tab'),
    (seat) => seat !== undefined,
    'Tab reaching the seat map',
    15_000,
  );
  assert.equal(await focusedSeat(page), '1A');
  // A320: business 1-3 (AC DF), economy from row 4 (ABC DEF); arrows move seat by seat.
  assert.equal(await press(page, 'ArrowRight'), '1C');
  assert.equal(await press(page, 'ArrowDown'), '2C');
  assert.equal(await press(page, 'ArrowDown'), '3C');
  assert.equal(await press(page, 'ArrowDown'), '4C', 'down across the cabins keeps the column');
  assert.equal(await press(page, 'ArrowDown'), '5C');
  assert.equal(await press(page, 'End'), '5F');
  assert.equal(await press(page, 'Home'), '5A');
  assert.equal(await press(page, 'ArrowLeft'), '5A', 'the row ends at the window');
  assert.equal(await press(page, 'ArrowRight'), '5B');
  await page.keyboard.press('Space');
  assert.equal(await seatButton(page, '5B').getAttribute('aria-pressed'), 'true');
  assert.match(
    (await seatButton(page, '5B').getAttribute('aria-label'))!,
    /^5B, middle, selected for passenger 1, \d+\.\d{2} USD$/,
  );
  assert.equal(await page.getByTestId('passenger-1-seat').innerText(), 'Seat 5B');
  // Enter changes the choice just as well.
  assert.equal(await press(page, 'ArrowDown'), '6B');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('passenger-1-seat').innerText(), 'Seat 6B');
  assert.equal(await seatButton(page, '5B').getAttribute('aria-pressed'), 'false');

  // Only one seat is in the tab order: Tab leaves the map for the traveller's fields.
  await page.keyboard.press('Tab');
  assert.equal(await focusedSeat(page), undefined);
  await page.locator('#traveller-0-dob').fill('1988-02-29');
  await page.locator('#traveller-0-dob').focus();
  await waitUntil(
    async () => {
      await page.keyboard.press('Tab');
      return page.evaluate('document.activeElement?.textContent') as Promise<string | null>;
    },
    (text) => text === 'Hold seat',
    'Tab reaching the hold button',
  );
  await page.keyboard.press('Enter');
  await expectVisible(
    page.locator('[data-testid="booking-status"][data-status="HELD"]'),
    'the seat held',
  );
  assertHealthy(tab);
});

/** The serious and critical violations axe-core finds on the page, one line each. */
async function seriousViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  for (const selector of exclude) axe.exclude(selector);
  const results = await axe.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

test(
  'an axe-core scan of every page finds no serious or critical violations',
  { timeout: 180_000 },
  async () => {
    const day = dayAhead(18);
    const flight = await scheduleFlight(suite, {
      origin: 'SFO',
      destination: 'LAX',
      departure: `${day}T17:00:00Z`,
    });
    const customer = await newCustomer(suite.stack.gateway);
    const held = (await createBooking(suite.stack.gateway, customer.token, flight.id, ['7A'])).data!
      .createBooking;
    const confirmed = (await createBooking(suite.stack.gateway, customer.token, flight.id, ['8A']))
      .data!.createBooking;
    await payBooking(suite.stack.gateway, customer.token, confirmed.id, CARDS.approved);
    await waitForStatus(suite.stack.gateway, customer.token, confirmed.id, ['CONFIRMED']);

    const pages: {
      name: string;
      path: string;
      ready: (page: Page) => Promise<void>;
      token?: string;
      phone?: boolean;
      exclude?: string[];
    }[] = [
      {
        name: 'search',
        path: `/?from=SFO&to=LAX&date=${day}&passengers=1`,
        ready: (p) =>
          expectVisible(p.getByRole('heading', { name: /flight from SFO to LAX/ }), 'results'),
      },
      {
        name: 'flight',
        path: `/flights/${flight.id}`,
        token: customer.token,
        ready: (p) => expectVisible(seatButton(p, '7A'), 'seat map'),
      },
      {
        name: 'flight (360 px)',
        path: `/flights/${flight.id}`,
        phone: true,
        ready: (p) => expectVisible(seatButton(p, '7A'), 'seat map'),
      },
      {
        name: 'booking held',
        path: `/bookings/${held.id}`,
        token: customer.token,
        ready: (p) => expectVisible(p.getByLabel('Card number'), 'card form'),
      },
      {
        name: 'booking confirmed',
        path: `/bookings/${confirmed.id}`,
        token: customer.token,
        ready: (p) => expectVisible(p.getByTestId('ticket-8A').getByText(/^\d{13}$/), 'e-ticket'),
      },
      {
        name: 'my bookings',
        path: '/bookings',
        token: customer.token,
        ready: (p) =>
          expectVisible(p.getByRole('link', { name: new RegExp(held.reference) }), 'bookings'),
      },
      {
        name: 'login',
        path: '/login',
        ready: (p) => expectVisible(p.getByRole('button', { name: 'Log in' }), 'form'),
      },
      {
        name: 'register',
        path: '/register',
        ready: (p) => expectVisible(p.getByRole('button', { name: 'Create account' }), 'form'),
      },
      {
        name: 'agent',
        path: '/agent',
        token: suite.agent,
        ready: async (p) => {
          await p.getByLabel('Airport').selectOption('SFO');
          await p.getByLabel('Date').fill(day);
          await p.getByRole('button', { name: 'Show departures' }).click();
          await expectVisible(
            p.getByRole('heading', { name: /1 departure from SFO/ }),
            'departures',
          );
        },
      },
      {
        name: 'explorer',
        path: '/explorer',
        ready: (p) => expectVisible(p.getByRole('button', { name: /Execute query/ }), 'GraphiQL'),
        // GraphiQL's (third-party) editor tabs put their own buttons inside role="tab": axe's
        // nested-interactive. Everything else of the explorer page is scanned.
        exclude: ['.graphiql-tab'],
      },
      {
        name: 'not found',
        path: '/no-such-page',
        ready: (p) => expectVisible(p.getByRole('heading', { name: 'Page not found' }), 'page'),
      },
    ];
    const found: string[] = [];
    for (const entry of pages) {
      const tab = await suite.open({
        ...(entry.token ? { token: entry.token } : {}),
        ...(entry.phone ? { viewport: PHONE } : {}),
      });
      await tab.page.goto(entry.path);
      await entry.ready(tab.page);
      for (const line of await seriousViolations(tab.page, entry.exclude))
        found.push(`${entry.name}: ${line}`);
      assertHealthy(tab);
      await tab.context.close();
    }
    assert.deepEqual(
      found,
      [],
      `axe-core found serious or critical violations:\n${found.join('\n')}`,
    );
  },
);
