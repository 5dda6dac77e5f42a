import { GraphQLError } from 'graphql';
import { Role, TokenService } from './auth.ts';
import { loadConfig } from './config.ts';
import { ServiceTokens } from './service-auth.ts';

const config = loadConfig({});
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err instanceof GraphQLError ? err.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
};

describe('service credentials', () => {
  const bookings = new ServiceTokens(config.serviceSecret, 'bookings');
  const payments = new ServiceTokens(config.serviceSecret, 'payments');
  const customer = { id: 'c1', roles: [Role.CUSTOMER] };

  test('carry the caller and the end user it acts for to the callee', async () => {
    const token = await bookings.sign('payments', customer);
    expect(await payments.verify(token, ['bookings'])).toEqual({
      service: 'bookings',
      user: customer,
    });
  });

  test('addressed to another service, from a caller not allowed, or forged: UNAUTHENTICATED', async () => {
    const flights = new ServiceTokens(config.serviceSecret, 'flights');
    expect(await codeOf(payments.verify(await bookings.sign('flights'), ['bookings']))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await codeOf(payments.verify(await flights.sign('payments'), ['bookings']))).toBe(
      'UNAUTHENTICATED',
    );
    const outsider = new ServiceTokens('a-secret-no-service-of-ours-holds-1234', 'bookings');
    expect(await codeOf(payments.verify(await outsider.sign('payments'), ['bookings']))).toBe(
      'UNAUTHENTICATED',
    );
  });

  test("an end user's access token is never a service credential, nor the reverse", async () => {
    const users = new TokenService(config.jwt);
    const userToken = await users.sign({ id: 'c1', roles: [Role.AGENT] });
    expect(await codeOf(payments.fromHeader(`Bearer ${userToken}`, ['bookings']))).toBe(
      'UNAUTHENTICATED',
    );
    // Even signed with the right key, a token without the service type is refused.
    const sameKey = new TokenService({ ...config.jwt, secret: config.serviceSecret });
    const retyped = await sameKey.sign({ id: 'bookings', roles: [] });
    expect(await codeOf(payments.verify(retyped, ['bookings']))).toBe('UNAUTHENTICATED');
    expect(await codeOf(users.verify(await bookings.sign('payments', customer)))).toBe(
      'UNAUTHENTICATED',
    );
  });

  test('the gateway re-uses its credential per audience instead of signing every request', async () => {
    const gateway = new ServiceTokens(config.serviceSecret, 'gateway');
    const first = await gateway.forAudience('flights');
    expect(await gateway.forAudience('flights')).toBe(first);
    expect(await gateway.forAudience('bookings')).not.toBe(first);
  });
});
