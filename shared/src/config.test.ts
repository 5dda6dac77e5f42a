import { ConfigError, databaseName, loadConfig } from './config.ts';

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

  test('production refuses to run on development secrets and the default agent', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET.*AGENT_EMAIL|AGENT_EMAIL.*JWT/s,
    );
    const c = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      AGENT_EMAIL: 'ops@airline.example',
      AGENT_PASSWORD: 'a-long-password-1',
    });
    expect(c.agent.email).toBe('ops@airline.example');
  });

  test('CORS origins are a comma-separated list', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example,' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
