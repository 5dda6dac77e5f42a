import { ServiceTokens } from '@airline/shared';
import {
  createPaymentsTestEnv,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';

let env: PaymentsTestEnv;
let customer: Caller;

beforeAll(async () => {
  env = await createPaymentsTestEnv('intake');
  customer = await env.customer();
});
afterAll(() => env?.dispose());

describe('whose money: the customer in the body must be the end user the credential names', () => {
  test('a bookings credential acting for no end user is 403 FORBIDDEN and stores nothing', async () => {
    const body = env.body(customer);
    const noUser = await new ServiceTokens(env.config.serviceSecret, 'bookings').sign('payments');
    const reply = await env.pay(body, noUser);
    expect(reply.status).toBe(403);
    expect(reply.body.error?.code).toBe('FORBIDDEN');
    expect(await env.paymentsFor(body.bookingId)).toBe(0);
  });

  test('acting for one customer with another customer in the body is 403 FORBIDDEN', async () => {
    const victim = await env.customer();
    const body = env.body(victim);
    const reply = await env.pay(body, customer);
    expect(reply.status).toBe(403);
    expect(await env.paymentsFor(body.bookingId)).toBe(0);
  });

  test('the customer themself, or an agent for them, is accepted', async () => {
    expect((await env.pay(env.body(customer), customer)).status).toBe(202);
    expect((await env.pay(env.body(customer), env.agent)).status).toBe(202);
  });
});
