// Test helpers shared by every package's integration and end-to-end tests.
export * from './config.ts';
export * from './graphql-client.ts';
export * from './wait.ts';
export * from './resources.ts';
