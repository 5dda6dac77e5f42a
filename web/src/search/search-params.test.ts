import { describe, expect, test } from 'vitest';
import { endpointsFor } from '../config/runtime-config.ts';
import { isComplete, paramsFromSearch, searchFromParams } from './search-params.ts';

describe('a search in the URL', () => {
  test('round-trips', () => {
    const search = {
      origin: 'LHR',
      destination: 'JFK',
      date: '2030-01-14',
      passengers: 2,
      cabin: 'BUSINESS' as const,
    };
    expect(searchFromParams(paramsFromSearch(search), '2030-01-01')).toEqual(search);
  });

  test('falls back to sensible values for missing or wrong parameters', () => {
    const search = searchFromParams(
      new URLSearchParams('from=lhr&passengers=42&cabin=CARGO&date=tomorrow'),
      '2030-01-01',
    );
    expect(search).toEqual({
      origin: 'LHR',
      destination: '',
      date: '2030-01-01',
      passengers: 1,
      cabin: '',
    });
    expect(isComplete(search)).toBe(false);
  });
});

describe('where the gateway is', () => {
  test('on the page’s host at the gateway port, unless configured', () => {
    expect(
      endpointsFor(
        { gatewayPort: 4000, testCards: true },
        { protocol: 'http:', hostname: 'localhost' },
      ),
    ).toEqual({
      httpUrl: 'http://localhost:4000/graphql',
      wsUrl: 'ws://localhost:4000/graphql',
    });
    expect(
      endpointsFor(
        { graphqlUrl: 'https://api.example.com/graphql', gatewayPort: 4000, testCards: false },
        { protocol: 'http:', hostname: 'x' },
      ),
    ).toEqual({
      httpUrl: 'https://api.example.com/graphql',
      wsUrl: 'wss://api.example.com/graphql',
    });
  });
});
