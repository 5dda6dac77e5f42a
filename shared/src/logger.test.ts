import { wantsPrettyLogs } from './logger.ts';

describe('log format choice', () => {
  test('LOG_PRETTY set by npm start decides: 1 for readable lines, 0 for JSON', () => {
    expect(wantsPrettyLogs({ LOG_PRETTY: '1' })).toBe(true);
    expect(wantsPrettyLogs({ LOG_PRETTY: '0' })).toBe(false);
  });

  test('without LOG_PRETTY, readable lines only when stdout is a terminal', () => {
    expect(wantsPrettyLogs({})).toBe(process.stdout.isTTY === true);
  });
});
