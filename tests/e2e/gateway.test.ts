import { errorCodes } from '@airline/shared/testing';
import { startStack, type TestStack } from '../testkit/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack('gateway', {
    CORS_ORIGINS: 'https://app.example.com',
    GATEWAY_MAX_DEPTH: '2',
  });
});
afterAll(() => stack?.stop());

describe('the gateway as a public endpoint', () => {
  test('health: live and ready (supergraph loaded, subgraphs answering)', async () => {
    expect((await fetch(`${stack.gatewayUrl}/health/live`)).status).toBe(200);
    const ready = await fetch(`${stack.gatewayUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
  });

  test('subgraphs have their own health endpoints checking their dependencies', async () => {
    const res = await fetch(`${stack.subgraphs.customers!.url}/health/ready`);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: [
        { name: 'postgres', ok: true },
        { name: 'redis', ok: true },
      ],
    });
  });

  test('CORS admits Apollo Studio and configured origins, not others', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    expect(
      (await preflight('https://studio.apollographql.com')).headers.get(
        'access-control-allow-origin',
      ),
    ).toBe('https://studio.apollographql.com');
    expect(
      (await preflight('https://app.example.com')).headers.get('access-control-allow-origin'),
    ).toBe('https://app.example.com');
    expect(
      (await preflight('https://evil.example.net')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  test('CSRF prevention refuses a simple cross-site GET operation', async () => {
    const res = await fetch(
      `${stack.gatewayUrl}/graphql?query=${encodeURIComponent('{ me { id } }')}`,
    );
    expect(res.status).toBe(400);
    const ok = await fetch(
      `${stack.gatewayUrl}/graphql?query=${encodeURIComponent('{ me { id } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(await ok.json()).toEqual({ data: { me: null } });
  });

  test('a browser gets the embedded Sandbox landing page', async () => {
    const res = await fetch(`${stack.gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/sandbox/i);
  });

  test('introspection works outside production (Sandbox needs it)', async () => {
    const body = await stack.gateway.data<{ __schema: { queryType: { name: string } } }>(
      '{ __schema { queryType { name } } }',
    );
    expect(body.__schema.queryType.name).toBe('Query');
  });

  test('a query deeper than the limit is rejected with a clear error before execution', async () => {
    const res = await stack.gateway.request('{ me { passengers { id } } }');
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(errorCodes(res)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    // Within the limit (and introspection, which Sandbox needs) still works.
    expect(await stack.gateway.data('{ me { id } }')).toEqual({ me: null });
  });

  test('too many aliases are rejected', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `m${i}: me { id }`).join(' ');
    const res = await stack.gateway.request(`{ ${aliases} }`);
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
  });

  test('every response carries a request id, and a given one is echoed', async () => {
    const res = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
  });
});
