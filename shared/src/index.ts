// The project's platform package: what every process of the supergraph shares.
export * from './config.ts';
export * from './logger.ts';
export * from './errors.ts';
export * from './validation.ts';
export * from './auth.ts';
export * from './scalars.ts';
export * from './db.ts';
export * from './redis.ts';
export * from './preflight.ts';
export * from './http.ts';
export * from './subgraph.ts';
export * from './process.ts';
export * from './seat-holds.ts';
export * from './messaging/index.ts';
export * from './money.ts';
export * from './readiness.ts';
export * from './internal-http.ts';
