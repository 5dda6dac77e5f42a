// A person books in the browser, end to end: register, search a real route, choose two seats,
// hold, pay, and watch the booking become CONFIRMED with its e-tickets without reloading; a
// declined card is explained and another card pays; a cancellation shows its refund.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBooking, newCustomer } from '../testkit/flows.ts';
import {
  assertHealthy,
  dayAhead,
  expectVisible,
  PHONE,
  scheduleFlight,
  screenshot,
  screenshotOf,
  seatButton,
  startWebSuite,
  type WebSuite,
  type Window,
} from './harness.ts';

let suite: WebSuite;
before(
  async () => {
    suite = await startWebSuite('web-journey');
  },
  { timeout: 120_000 },
);
after(
  async () => {
    await suite?.close();
  },
  { timeout: 60_000 },
);

const expiry = `12/${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;

/** Fills the card form and presses Pay. */
async function pay(tab: Window, card: string): Promise<void> {
  const { page } = tab;
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill(expiry);
  await page.getByLabel('Security code').fill('123');
  await page.getByLabel('Name on card').fill('Ada Lovelace');
  await page.getByRole('button', { name: /^Pay / }).click();
}

/** The booking status the page shows (its data-status). */
const shownStatus = (tab: Window) =>
  tab.page.getByTestId('booking-status').getAttribute('data-status');

/** Waits for the page to show a booking status, without reloading it. */
async function expectStatus(tab: Window, status: string, timeoutMs = 20_000): Promise<void> {
  await expectVisible(
    tab.page.locator(`[data-testid="booking-status"][data-status="${status}"]`),
    `booking shown as ${status} (last shown: ${await shownStatus(tab)})`,
    timeoutMs,
  );
}

test(
  'a new customer books two seats on a searched route and sees CONFIRMED with e-tickets, live',
  { timeout: 120_000 },
  async () => {
    const day = dayAhead(12);
    // Two departures London -> New York that day; test stacks seed no schedule.
    const morning = await scheduleFlight(suite, {
      origin: 'LHR',
      destination: 'JFK',
      departure: `${day}T09:30:00Z`,
      aircraft: 'B789',
    });
    await scheduleFlight(suite, {
      origin: 'LHR',
      destination: 'JFK',
      departure: `${day}T14:05:00Z`,
      aircraft: 'B789',
    });

    const tab = await suite.open();
    const { page } = tab;
    await page.goto('/register');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('E-mail').fill(`ada.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse 42');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectVisible(
      page.getByRole('button', { name: 'Log out' }),
      'signed in after registering',
    );

    await page.getByLabel('From').selectOption('LHR');
    await page.getByLabel('To').selectOption('JFK');
    await page.getByLabel('Date').fill(day);
    await page.getByLabel('Passengers').selectOption('2');
    await page.getByRole('button', { name: 'Search flights' }).click();
    await expectVisible(
      page.getByRole('heading', { name: '2 flights from LHR to JFK' }),
      'search results',
    );
    // London local time (GMT or BST) and New York's, each at its airport.
    const firstCard = page.locator('.flight-card').first();
    assert.match(await firstCard.getByTestId('departure-time').innerText(), /^(09|10):30$/);
    assert.match(await firstCard.innerText(), /seats left/);
    assert.match(await firstCard.innerText(), /from \d+\.\d{2} [A-Z]{3}/);
    await screenshot(page, 'search-desktop');

    await page.getByRole('link', { name: `Choose seats on ${morning.number}` }).click();
    await expectVisible(seatButton(page, '31A'), 'the seat map');
    assert.match(
      (await seatButton(page, '31A').getAttribute('aria-label'))!,
      /^31A, window, available, \d+\.\d{2} [A-Z]{3}$/,
    );
    await seatButton(page, '31A').click();
    await seatButton(page, '31B').click();
    assert.equal(await page.getByTestId('passenger-1-seat').innerText(), 'Seat 31A');
    assert.equal(await page.getByTestId('passenger-2-seat').innerText(), 'Seat 31B');
    // Passenger 1 is the account holder, filled in from the account.
    assert.equal(await page.locator('#traveller-0-given').inputValue(), 'Ada');
    assert.equal(await page.locator('#traveller-0-family').inputValue(), 'Lovelace');
    await page.locator('#traveller-0-dob').fill('1985-12-10');
    await page.locator('#traveller-1-given').fill('Charles');
    await page.locator('#traveller-1-family').fill('Babbage');
    await page.locator('#traveller-1-dob').fill('1971-12-26');
    await page.getByLabel('Save new travellers to my account').check();
    await screenshot(page, 'seat-map-desktop');

    await page.getByRole('button', { name: 'Hold 2 seats' }).click();
    await expectStatus(tab, 'HELD');
    await expectVisible(page.getByTestId('hold-countdown'), 'the hold countdown');
    assert.match(await page.getByTestId('hold-countdown').innerText(), /^\d+:\d{2}$/);
    await expectVisible(page.getByText('Test cards (development)'), 'the test cards');

    // A marker that survives only as long as the page is not reloaded.
    await page.evaluate('window.notReloaded = true');
    await pay(tab, '4242 4242 4242 4242');
    await expectStatus(tab, 'CONFIRMED');
    for (const seat of ['31A', '31B'])
      await expectVisible(
        page.getByTestId(`ticket-${seat}`).getByText(/^\d{13}$/),
        `e-ticket of ${seat}`,
      );
    assert.equal(await page.evaluate('window.notReloaded'), true, 'the page was reloaded');
    await screenshot(page, 'confirmation-desktop');

    // The travellers were saved: the next booking offers them.
    await page.goto(`/flights/${morning.id}?passengers=1`);
    const saved = page.locator('#traveller-0-saved');
    await expectVisible(saved, 'the saved travellers offered');
    await saved.selectOption({ label: 'Charles Babbage' });
    assert.equal(await page.locator('#traveller-0-dob').inputValue(), '1971-12-26');

    // The same seat map on a 360 px phone: it fits (no sideways scrolling of the page).
    const phone = await suite.open({ viewport: PHONE });
    await phone.page.goto(`/flights/${morning.id}?passengers=1`);
    await expectVisible(seatButton(phone.page, '31A'), 'the seat map on a phone');
    assert.match(
      (await seatButton(phone.page, '31A').getAttribute('aria-label'))!,
      /^31A, window, unavailable$/,
    );
    const overflow = (await phone.page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 360 px`);
    await screenshot(phone.page, 'seat-map-phone');
    await screenshotOf(
      phone.page.getByRole('region', { name: /^Economy cabin/ }),
      'seat-map-phone-economy',
    );
    const phoneSearch = await suite.open({ viewport: PHONE });
    await phoneSearch.page.goto(`/?from=LHR&to=JFK&date=${day}&passengers=1`);
    await expectVisible(
      phoneSearch.page.getByRole('heading', { name: /flights? from LHR to JFK/ }),
      'search results on a phone',
    );
    await screenshot(phoneSearch.page, 'search-phone');

    for (const w of [tab, phone, phoneSearch]) assertHealthy(w);
  },
);

test(
  'a declined card is explained, another card pays, and a cancellation shows the refund',
  { timeout: 120_000 },
  async () => {
    const flight = await scheduleFlight(suite, {
      origin: 'JFK',
      destination: 'BOS',
      departure: `${dayAhead(20)}T15:00:00Z`,
    });
    const customer = await newCustomer(suite.stack.gateway);
    const held = await createBooking(suite.stack.gateway, customer.token, flight.id, ['14C']);
    const bookingId = held.data!.createBooking.id;

    const tab = await suite.open({ token: customer.token });
    const { page } = tab;
    await page.goto(`/bookings/${bookingId}`);
    await expectStatus(tab, 'HELD');

    await pay(tab, '4000 0000 0000 0002');
    // The saga brings the booking back to HELD with the payment's error: shown, seats still held.
    await expectVisible(page.getByTestId('payment-error'), 'the declined card explained', 20_000);
    assert.match(
      await page.getByTestId('payment-error').innerText(),
      /declined.*try another card/i,
    );
    await expectStatus(tab, 'HELD');
    await screenshot(page, 'payment-declined');

    await pay(tab, '4242 4242 4242 4242');
    await expectStatus(tab, 'CONFIRMED');
    await expectVisible(page.getByTestId('ticket-14C').getByText(/^\d{13}$/), 'the e-ticket');
    assert.equal(
      await page.getByTestId('payment-error').count(),
      0,
      'the old payment error is gone',
    );

    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByLabel('Reason (optional)').fill('Plans changed');
    await page.getByRole('button', { name: 'Yes, cancel booking' }).click();
    await expectStatus(tab, 'CANCELLED');
    const total = await page.getByTestId('booking-total').innerText();
    await expectVisible(
      page.getByTestId('refund').getByText(`Refunded ${total} to your visa card ending 4242.`),
      'the refund',
      20_000,
    );
    assertHealthy(tab);
  },
);
