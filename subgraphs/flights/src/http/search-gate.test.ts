import { selectsSearch } from './search-gate.ts';

describe('the search bulkhead classifies the parsed operation', () => {
  test.each([
    ['a plain search', '{ searchFlights(input: $i) { id } }'],
    ['an aliased search', 'query { cheap: searchFlights(input: $i) { id } }'],
    [
      'a search inside a fragment',
      'query { ...F } fragment F on Query { searchFlights(input: $i) { id } }',
    ],
  ])('%s takes a search slot', (_name, text) => {
    expect(selectsSearch(text)).toBe(true);
  });

  test.each([
    ['a flight query', '{ flight(id: "1") { id } }'],
    ['a comment naming the field', '# searchFlights\n{ airports { code } }'],
    ['an argument value naming the field', '{ flight(id: "searchFlights") { id } }'],
    ['a document that does not parse', '{ searchFlights('],
  ])('%s does not', (_name, text) => {
    expect(selectsSearch(text)).toBe(false);
  });
});
