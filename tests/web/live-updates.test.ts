// Two people, two windows, one flight: what one does shows in the other without a reload, from
// the gateway's subscriptions (seatMapChanged, flightStatusChanged).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBooking, newCustomer } from '../testkit/flows.ts';
import {
  assertHealthy,
  dayAhead,
  expectVisible,
  scheduleFlight,
  screenshot,
  seatButton,
  startWebSuite,
  type WebSuite,
} from './harness.ts';

let suite: WebSuite;
before(
  async () => {
    suite = await startWebSuite('web-live');
  },
  { timeout: 120_000 },
);
after(
  async () => {
    await suite?.close();
  },
  { timeout: 60_000 },
);

/** "09:45" at an airport, as the app shows times. */
const clock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));

test(
  'a seat held in one window turns unavailable in the other within 2 s, and cannot be chosen there',
  { timeout: 90_000 },
  async () => {
    const flight = await scheduleFlight(suite, {
      origin: 'JFK',
      destination: 'BOS',
      departure: `${dayAhead(25)}T13:00:00Z`,
    });
    const [alice, bob] = await Promise.all([
      newCustomer(suite.stack.gateway),
      newCustomer(suite.stack.gateway),
    ]);
    const a = await suite.open({ token: alice.token });
    const b = await suite.open({ token: bob.token });
    await Promise.all([a.page.goto(`/flights/${flight.id}`), b.page.goto(`/flights/${flight.id}`)]);
    await Promise.all([
      expectVisible(seatButton(a.page, '12A'), 'seat map A'),
      expectVisible(seatButton(b.page, '12A'), 'seat map B'),
    ]);
    await b.page.evaluate('window.notReloaded = true');

    // Bob has 12A in mind (chosen, not held yet); Alice is quicker and holds it.
    await seatButton(b.page, '12A').click();
    assert.equal(await seatButton(b.page, '12A').getAttribute('aria-pressed'), 'true');
    await seatButton(a.page, '12A').click();
    await a.page.locator('#traveller-0-dob').fill('1990-04-01');
    const held = a.page.waitForResponse(
      (r) =>
        r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('CreateBooking'),
    );
    await a.page.getByRole('button', { name: 'Hold seat' }).click();
    assert.equal((await held).status(), 200);

    // The deadline runs from Alice's hold being answered.
    await expectVisible(
      b.page.getByRole('button', { name: /^12A, window, exit row, extra legroom, unavailable$/ }),
      "12A unavailable in Bob's window",
      2_000,
    );
    await expectVisible(
      b.page.getByTestId('seat-notice').getByText('Someone just took 12A, pick another seat.'),
      'the taken seat explained',
    );
    assert.equal(await b.page.getByTestId('passenger-1-seat').innerText(), 'No seat yet');
    // Pressed anyway (past Playwright's own check that it is disabled): nothing is chosen.
    await seatButton(b.page, '12A').click({ force: true });
    assert.equal(
      await seatButton(b.page, '12A').getAttribute('aria-pressed'),
      'false',
      '12A was chosen anyway',
    );
    assert.equal(await seatButton(b.page, '12A').getAttribute('aria-disabled'), 'true');
    assert.equal(await b.page.getByTestId('passenger-1-seat').innerText(), 'No seat yet');
    assert.equal(await b.page.evaluate('window.notReloaded'), true, "Bob's page was reloaded");
    await screenshot(b.page, 'seat-taken-elsewhere');
    assertHealthy(a);
    assertHealthy(b);
  },
);

test(
  "an agent delays a flight and the passenger's open booking page shows the new time live",
  { timeout: 90_000 },
  async () => {
    const day = dayAhead(30);
    const flight = await scheduleFlight(suite, {
      origin: 'JFK',
      destination: 'BOS',
      departure: `${day}T14:00:00Z`,
    });
    const passenger = await newCustomer(suite.stack.gateway);
    const booking = (await createBooking(suite.stack.gateway, passenger.token, flight.id, ['20D']))
      .data!.createBooking;

    const traveller = await suite.open({ token: passenger.token });
    await traveller.page.goto(`/bookings/${booking.id}`);
    const departure = traveller.page
      .getByRole('region', { name: 'Flight' })
      .getByTestId('departure-time');
    await expectVisible(departure, 'the booked flight');
    const nyc = 'America/New_York';
    assert.equal(await departure.innerText(), clock(flight.departureTime, nyc));
    await traveller.page.evaluate('window.notReloaded = true');

    // The agent signs in like anyone else and finds the day's departures from JFK.
    const agent = await suite.open();
    await agent.page.goto('/login?next=%2Fagent');
    await agent.page.getByLabel('E-mail').fill(suite.stack.config.agent.email);
    await agent.page.getByLabel('Password').fill(suite.stack.config.agent.password);
    await agent.page.getByRole('button', { name: 'Log in' }).click();
    await expectVisible(agent.page.getByRole('heading', { name: 'Departures' }), 'the agent page');
    await agent.page.getByLabel('Airport').selectOption('JFK');
    const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: nyc }).format(
      new Date(flight.departureTime),
    );
    await agent.page.getByLabel('Date').fill(localDay);
    await agent.page.getByRole('button', { name: 'Show departures' }).click();
    const row = agent.page.getByRole('listitem', {
      name: new RegExp(`^${flight.number} to Boston`),
    });
    await expectVisible(row, `${flight.number} in the departures`);
    await row.getByLabel('Delay by').selectOption('45');
    await row.getByLabel('Delay reason').fill('Late inbound aircraft');
    await row.getByRole('button', { name: 'Delay flight' }).click();
    const delayed = new Date(Date.parse(flight.departureTime) + 45 * 60_000).toISOString();
    await expectVisible(
      row.getByText(`(scheduled ${clock(flight.departureTime, nyc)})`),
      'the delay in the agent list',
    );
    await screenshot(agent.page, 'agent-delayed');

    await expectVisible(
      traveller.page.getByTestId('departure-time').getByText(clock(delayed, nyc), { exact: true }),
      'the new departure time on the booking page',
      5_000,
    );
    await expectVisible(
      traveller.page
        .getByTestId('delay-notice')
        .getByText(
          `Delayed: now departs ${clock(delayed, nyc)} (was ${clock(flight.departureTime, nyc)}). Late inbound aircraft.`,
        ),
      'the delay explained',
    );
    assert.equal(
      await traveller.page.evaluate('window.notReloaded'),
      true,
      "the passenger's page was reloaded",
    );
    await screenshot(traveller.page, 'booking-delayed');
    assertHealthy(traveller);
    assertHealthy(agent);
  },
);
