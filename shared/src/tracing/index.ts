export * from './propagation.ts';
export * from './request-spans.ts';
