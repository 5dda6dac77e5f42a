import { mergeResults } from './merge-results.ts';

test('seat deltas add up seat by seat, scalars take the newer value', () => {
  const older = {
    data: {
      seatMapChanged: {
        version: 3,
        flight: { id: 'f' },
        seats: [
          { number: '1A', status: 'HELD' },
          { number: '1B', status: 'HELD' },
        ],
      },
    },
  };
  const newer = {
    data: {
      seatMapChanged: {
        version: 4,
        flight: { id: 'f' },
        seats: [
          { number: '1A', status: 'AVAILABLE' },
          { number: '2C', status: 'BOOKED' },
        ],
      },
    },
  };
  expect(mergeResults(older, newer)).toEqual({
    data: {
      seatMapChanged: {
        version: 4,
        flight: { id: 'f' },
        seats: [
          { number: '1A', status: 'AVAILABLE' },
          { number: '1B', status: 'HELD' },
          { number: '2C', status: 'BOOKED' },
        ],
      },
    },
  });
});

test('lists without an identity, and results with errors, are replaced by the newer one', () => {
  expect(mergeResults({ data: { a: [1, 2] } }, { data: { a: [3] } })).toEqual({ data: { a: [3] } });
  const failed = { data: null, errors: [{ message: 'x' }] };
  expect(mergeResults({ data: { a: 1 } }, failed)).toBe(failed);
  expect(mergeResults(failed, { data: { a: 2 } })).toEqual({ data: { a: 2 } });
});
