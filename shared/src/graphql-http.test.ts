import { clientMessage } from './graphql-http.ts';

describe('client-facing error messages', () => {
  test('a rejected variable never echoes its value (a card number sent as a JSON number)', () => {
    const message = clientMessage(
      'Variable "$input" got invalid value 4242424242424242 at "input.card.number"; String cannot represent a non string value: 4242424242424242',
    );
    expect(message).toBe(
      'Variable "$input" got an invalid value at "input.card.number"; String cannot represent a non string value',
    );
    expect(message).not.toMatch(/4242/);
  });

  test('a value with quotes and semicolons inside is cut out too', () => {
    const message = clientMessage(
      'Variable "$input" got invalid value { cvc: "123; x" } at "input.card"; Field "cvc" of required type "String!" was not provided.',
    );
    expect(message).toBe(
      'Variable "$input" got an invalid value at "input.card"; Field "cvc" of required type "String!" was not provided.',
    );
  });

  test('limit rejections name the limit instead of posing as syntax errors', () => {
    expect(clientMessage('Syntax Error: Query depth limit of 12 exceeded, found 42.')).toBe(
      'Operation rejected: Query depth limit of 12 exceeded, found 42.',
    );
    expect(clientMessage('Syntax Error: Expected Name, found <EOF>.')).toBe(
      'Syntax Error: Expected Name, found <EOF>.',
    );
  });
});
