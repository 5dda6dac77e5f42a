import { describe, expect, test } from 'vitest';
import { runtimeConfigFromEnv } from './runtime-config.ts';
import { fileFor } from './static-server.ts';

describe('the web server', () => {
  test('serves files inside the build only', () => {
    expect(fileFor('/srv/dist', '/assets/index.js')).toBe('/srv/dist/assets/index.js');
    expect(fileFor('/srv/dist', '/../secrets')).toBeNull();
    expect(fileFor('/srv/dist', '/%2e%2e/secrets')).toBeNull();
    expect(fileFor('/srv/dist', '/%E0%A4%A')).toBeNull();
  });

  test('tells the app where the gateway is, with test cards outside production', () => {
    expect(runtimeConfigFromEnv({})).toEqual({ gatewayPort: 4000, testCards: true });
    expect(
      runtimeConfigFromEnv({
        NODE_ENV: 'production',
        WEB_GRAPHQL_URL: 'https://api.example.com/graphql',
        GATEWAY_PORT: '4100',
      }),
    ).toEqual({
      graphqlUrl: 'https://api.example.com/graphql',
      gatewayPort: 4100,
      testCards: false,
    });
  });
});
