import { buildSchema, parse, validate } from 'graphql';
import { noReservedAliases } from './reserved-aliases.ts';

const schema = buildSchema('type Query { name: String, constructor: String }');
const errorsOf = (query: string) =>
  validate(schema, parse(query), [noReservedAliases]).map((e) => e.message);

test('aliases starting with __ are rejected; other names, prototype ones included, pass', () => {
  expect(errorsOf('{ __proto__: name }')).toEqual([
    'Alias "__proto__" is not allowed: names starting with "__" are reserved for introspection.',
  ]);
  expect(errorsOf('{ __typename: name }')).toHaveLength(1);
  expect(errorsOf('{ toString: name constructor hasOwnProperty: name __typename }')).toEqual([]);
});
