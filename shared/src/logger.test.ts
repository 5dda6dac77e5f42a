import { Writable } from 'node:stream';
import { createLogger, wantsPrettyLogs } from './logger.ts';

describe('log format choice', () => {
  test('LOG_PRETTY set by npm start decides: 1 for readable lines, 0 for JSON', () => {
    expect(wantsPrettyLogs({ LOG_PRETTY: '1' })).toBe(true);
    expect(wantsPrettyLogs({ LOG_PRETTY: '0' })).toBe(false);
  });

  test('without LOG_PRETTY, readable lines only when stdout is a terminal', () => {
    expect(wantsPrettyLogs({})).toBe(process.stdout.isTTY === true);
  });
});

describe('redaction', () => {
  test('passwords, cards, tokens and GraphQL variables never reach a log line, however deep', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ logLevel: 'info', env: 'development' }, 'redaction-test', sink);
    log.info({ input: { email: 'a@example.com', password: 'hunter2-secret' } }, 'register');
    log.info(
      { request: { variables: { input: { card: { number: '4242424242424242', cvc: '987' } } } } },
      'pay',
    );
    log.info({ body: { payment: { card: { number: '4000000000000002', cvc: '654' } } } }, 'body');
    log.info({ req: { headers: { authorization: 'Bearer eyJsecret.token' } } }, 'request');
    const text = lines.join('');
    expect(lines).toHaveLength(4);
    for (const secret of [
      'hunter2-secret',
      '4242424242424242',
      '4000000000000002',
      '"987"',
      '"654"',
      'eyJsecret',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('a@example.com');
    expect(text).toContain('[redacted]');
  });
});
