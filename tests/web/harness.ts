// The browser suites' world: an isolated supergraph (tests/testkit startStack: its own databases,
// Redis keys, AMQP names and ports), the production build of the web app served beside it and
// pointed at that stack's gateway, and Debian's Chromium driven by playwright-core. Nothing leaves
// the machine: every browser request to anywhere but this machine fails the test.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { startStack, type TestStack } from '../testkit/stack.ts';
import { agentToken } from '../testkit/flows.ts';
import { startWebServer, type RunningWebServer } from '../../web/server/static-server.ts';
import type { RuntimeConfig } from '../../web/src/config/runtime-config.ts';

const DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** Screenshots and other artefacts a person looks at after a run. */
export const OUTPUT_DIR = fileURLToPath(new URL('./output', import.meta.url));

/** Debian's Chromium (Playwright's own browser download is not reachable here). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Playwright adds --headless and a fresh --user-data-dir (a temporary profile per launch) itself.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Desktop and phone viewports the suites look at the app in. */
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 780 };

/** One browser window (its own context: cookies, storage) and what went wrong in it. */
export interface Window {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send off this machine (a CDN, a font service, ...). */
  offMachine: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** What the page logged as warnings and errors. */
  consoleProblems: string[];
}

/** A running stack, web server and browser for one test file. */
export interface WebSuite {
  stack: TestStack;
  web: RunningWebServer;
  browser: Browser;
  /** The seeded agent's token (to schedule flights). */
  agent: string;
  /** A new window; signed in with `token` when given. */
  open: (options?: {
    token?: string;
    viewport?: { width: number; height: number };
  }) => Promise<Window>;
  close: () => Promise<void>;
}

const loopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);

/**
 * Starts the suite's stack, serves web/dist (built by `npm run test:web`) pointed at it, and
 * launches Chromium. The gateway admits the web server's origin through CORS_ORIGINS, as a
 * deployment would configure it.
 */
export async function startWebSuite(label: string): Promise<WebSuite> {
  let runtime: RuntimeConfig = { gatewayPort: 0, testCards: true };
  const web = await startWebServer({
    distDir: DIST,
    port: 0,
    host: '127.0.0.1',
    runtimeConfig: () => runtime,
  });
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  const windows: Window[] = [];
  const profileRoot = mkdtempSync(join(tmpdir(), 'airline-web-'));
  try {
    stack = await startStack(label, { CORS_ORIGINS: web.url });
    runtime = { graphqlUrl: `${stack.gatewayUrl}/graphql`, gatewayPort: 0, testCards: true };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      // Keep the crash reporter's and downloads' files with the suite's, removed at the end.
      downloadsPath: profileRoot,
    });
    const agent = await agentToken(stack.gateway, stack.config);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const suiteStack = stack;
    const suiteBrowser = browser;
    return {
      stack,
      web,
      browser,
      agent,
      open: async ({ token, viewport = DESKTOP } = {}) => {
        const context = await suiteBrowser.newContext({
          viewport,
          locale: 'en-GB',
          baseURL: web.url,
        });
        const window: Window = {
          context,
          page: await context.newPage(),
          offMachine: [],
          pageErrors: [],
          consoleProblems: [],
        };
        await context.route('**/*', (route) => {
          const url = new URL(route.request().url());
          if (url.protocol === 'data:' || url.protocol === 'blob:' || loopback(url.hostname))
            return route.continue();
          window.offMachine.push(url.href);
          return route.abort('blockedbyclient');
        });
        window.page.on('pageerror', (err) => window.pageErrors.push(String(err)));
        window.page.on('console', (message) => {
          if (message.type() === 'warning' || message.type() === 'error')
            window.consoleProblems.push(message.text());
        });
        if (token) {
          // The app keeps its session in localStorage (web/src/auth/session.ts).
          await context.addInitScript((t) => {
            if (!sessionStorage.getItem('test-signed-in')) {
              localStorage.setItem('airline.session', JSON.stringify({ token: t }));
              sessionStorage.setItem('test-signed-in', '1');
            }
          }, token);
        }
        windows.push(window);
        return window;
      },
      close: async () => {
        await Promise.allSettled(windows.map((w) => w.context.close()));
        await suiteBrowser.close();
        await web.close();
        await suiteStack.stop();
        rmSync(profileRoot, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await web.close().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    rmSync(profileRoot, { recursive: true, force: true });
    throw err;
  }
}

/** Fails loudly when a window tried to leave the machine, threw, or logged a warning or error. */
export function assertHealthy(window: Window): void {
  if (window.offMachine.length > 0)
    throw new Error(`the page tried to reach other machines: ${window.offMachine.join(', ')}`);
  if (window.pageErrors.length > 0)
    throw new Error(`the page threw: ${window.pageErrors.join('; ')}`);
  if (window.consoleProblems.length > 0)
    throw new Error(`the page logged warnings or errors: ${window.consoleProblems.join('; ')}`);
}

/** Waits until `locator` is visible, failing with `what` and the deadline when it is not. */
export async function expectVisible(
  locator: Locator,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (err) {
    throw new Error(
      `${what}: not visible within ${timeoutMs} ms (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

/** Polls `read` until `done`; fails with what it last read at the deadline. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A seat button on the seat map, found by its accessible name ("12A, window, ..."). */
export const seatButton = (page: Page, seat: string): Locator =>
  page.getByRole('button', { name: new RegExp(`^${seat},`) });

/** Saves a full-page screenshot under tests/web/output. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(OUTPUT_DIR, `${name}.png`);
  // From the top, so sticky panels sit where a person first sees them.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Flight numbers are unique per local departure date: a random base per run, then a sequence.
/** Saves a screenshot of one part of a page under tests/web/output. */
export async function screenshotOf(locator: Locator, name: string): Promise<string> {
  const path = join(OUTPUT_DIR, `${name}.png`);
  await locator.screenshot({ path });
  return path;
}

let flightSeq = Math.floor(Math.random() * 9000);

/**
 * Schedules a flight as airline staff, on a route and local time the test picks (test stacks
 * seed no schedule). `departure` is an ISO instant.
 */
export async function scheduleFlight(
  suite: WebSuite,
  flight: {
    origin: string;
    destination: string;
    departure: string;
    aircraft?: string;
    number?: string;
  },
): Promise<{ id: string; number: string; departureTime: string }> {
  const number = flight.number ?? `WB${1000 + (++flightSeq % 9000)}`;
  const { scheduleFlight } = await suite.stack.gateway.data<{
    scheduleFlight: { id: string; number: string; departureTime: string };
  }>(
    'mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id number departureTime } }',
    {
      i: {
        number,
        origin: flight.origin,
        destination: flight.destination,
        departureTime: flight.departure,
        aircraft: flight.aircraft ?? 'A320',
      },
    },
    { token: suite.agent },
  );
  return scheduleFlight;
}

/** A day `daysAhead` from now (UTC), as YYYY-MM-DD. */
export function dayAhead(daysAhead: number): string {
  return new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}
