export * from './registry.ts';
export * from './domain-metrics.ts';
export * from './graphql-metrics.ts';
export * from './pg-pool-metrics.ts';
