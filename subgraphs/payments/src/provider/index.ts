// The payments service imports the adapter from here; the file split is an internal detail.
export * from './attempts.ts';
export * from './card.ts';
export * from './provider-client.ts';
export * from './provider-errors.ts';
