import type { Config } from 'jest';

// ESM all the way: MikroORM 7 ships only ESM, so jest runs under --experimental-vm-modules
// and @swc/jest strips types without changing the module format.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: ['<rootDir>/{shared,gateway,subgraphs,payment-provider,tests}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/tests/global-setup.ts',
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
