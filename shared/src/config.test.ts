import { ConfigError, DEV_SECRETS, databaseName, loadConfig } from './config.ts';

describe('configuration', () => {
  test('works with no variables at all, using the documented local defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      postgresUrl: 'postgres://postgres@127.0.0.1:5432',
      redisUrl: 'redis://127.0.0.1:6379',
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      seatHoldTtlSeconds: 600,
      ports: {
        gateway: 4000,
        customers: 4001,
        flights: 4002,
        bookings: 4003,
        payments: 4004,
        notifications: 4005,
      },
    });
    expect(c.jwt.secret?.length).toBeGreaterThanOrEqual(32);
    expect(databaseName(c, 'flights')).toBe('flights');
  });

  test('a bad value stops start-up naming the variable', () => {
    expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'x'.repeat(40),
    SERVICE_SECRET: 'y'.repeat(40),
    AGENT_EMAIL: 'ops@airline.example',
    AGENT_PASSWORD: 'a-long-password-1',
  };

  test('production runs with its own secrets and an explicit agent', () => {
    const c = loadConfig(production);
    expect(c.agent.email).toBe('ops@airline.example');
    expect(c.serviceSecret).toBe('y'.repeat(40));
  });

  test('production refuses missing secrets and the default agent, in one line', () => {
    const message = (() => {
      try {
        loadConfig({ NODE_ENV: 'production' });
      } catch (err) {
        return (err as Error).message;
      }
      return 'started';
    })();
    expect(message).toMatch(/JWT_PUBLIC_KEY.*SERVICE_SECRET.*AGENT_EMAIL/s);
    expect(message).not.toContain('\n');
  });

  test.each([
    ['JWT_SECRET is the development default', { JWT_SECRET: DEV_SECRETS.jwt }, /JWT_SECRET/],
    [
      'SERVICE_SECRET is the development default',
      { SERVICE_SECRET: DEV_SECRETS.service },
      /SERVICE_SECRET/,
    ],
    ['SERVICE_SECRET equals JWT_SECRET', { SERVICE_SECRET: 'x'.repeat(40) }, /SERVICE_SECRET/],
    ['a secret shorter than 32 characters', { SERVICE_SECRET: 'short-secret' }, /SERVICE_SECRET/],
    ['the documented agent password', { AGENT_PASSWORD: 'agent-password-123' }, /AGENT_PASSWORD/],
  ])('production refuses to start when %s', (_why, override, named) => {
    expect(() => loadConfig({ ...production, ...override })).toThrow(named);
  });

  test('TRUST_PROXY takes a hop count or proxy addresses, never "true" (any client)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  test('limits are generous in development and strict in production, and configurable', () => {
    const dev = loadConfig({}).limits;
    const prod = loadConfig(production).limits;
    expect(dev.registerPerIpPerMinute).toBeGreaterThanOrEqual(100);
    expect(prod.registerPerIpPerMinute).toBeLessThan(dev.registerPerIpPerMinute);
    expect(prod.bookingsPerCustomerPerMinute).toBeLessThan(dev.bookingsPerCustomerPerMinute);
    expect(prod.maxLiveHoldsPerCustomer).toBe(4);
    expect(prod.maxSeatsPerBooking).toBe(9);
    expect(loadConfig({ ...production, MAX_LIVE_HOLDS_PER_CUSTOMER: '2' }).limits).toMatchObject({
      maxLiveHoldsPerCustomer: 2,
    });
  });

  test('CORS origins are a comma-separated list', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example,' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
