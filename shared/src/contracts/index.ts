// Contracts between services, written once and used by both sides: internal HTTP endpoints
// (request and response schemas) and the validation every consumer applies to a message payload.
export * from './internal-contract.ts';
export * from './seat-quotes.ts';
export * from './payment-requests.ts';
export * from './payment-records.ts';
export * from './message-payloads.ts';
