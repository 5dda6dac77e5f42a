import { Writable } from 'node:stream';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { pino } from 'pino';
import type { GatewayContext } from './auth-forwarding.ts';
import { accessLogPlugin } from './access-log.ts';

/** A logger whose lines land in an array, parsed. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const typeDefs = `
  type Query { hello: String }
  type Mutation { login(email: String!, password: String!): String }
`;
const resolvers = {
  Query: { hello: () => 'hi' },
  Mutation: {
    login: () => {
      throw Object.assign(new Error('nope'), { extensions: { code: 'UNAUTHENTICATED' } });
    },
  },
};

describe('gateway access log', () => {
  test('logs one line per request with operation, status, error codes and client identity, never the variables or query text', async () => {
    const { logger, lines } = capturingLogger();
    const server = new ApolloServer<GatewayContext>({
      typeDefs,
      resolvers,
      plugins: [accessLogPlugin(logger)],
    });
    await server.start();
    const headers = new HeaderMap([
      ['content-type', 'application/json'],
      ['apollographql-client-name', 'web'],
      ['apollographql-client-version', '1.2.3'],
    ]);
    await server.executeOperation(
      {
        query: 'mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) }',
        operationName: 'SignIn',
        variables: { e: 'ada@example.test', p: 'super-secret-password' },
        http: { method: 'POST', headers, search: '', body: {} },
      },
      { contextValue: { requestId: 'req-1', clientIp: '127.0.0.1' } },
    );
    await server.stop();

    const access = lines.filter((l) => l.msg === 'graphql request');
    expect(access).toHaveLength(1);
    expect(access[0]!.access).toMatchObject({
      requestId: 'req-1',
      operation: 'SignIn',
      status: 200,
      clientName: 'web',
      clientVersion: '1.2.3',
    });
    expect((access[0]!.access as { errorCodes: string[] }).errorCodes.length).toBe(1);
    expect(typeof (access[0]!.access as { durationMs: unknown }).durationMs).toBe('number');
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain('super-secret-password');
    expect(everything).not.toContain('ada@example.test');
    expect(everything).not.toContain('login(email');
  });
});
