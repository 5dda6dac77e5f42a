import type { Config } from 'jest';

// ESM all the way: MikroORM 7 ships only ESM, so jest runs under --experimental-vm-modules
// and @swc/jest strips types without changing the module format.
const shared = {
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
  testPathIgnorePatterns: ['/node_modules/'],
  // Each project's hard per-test timeout (jest only reads `testTimeout` globally).
  setupFilesAfterEnv: ['<rootDir>/tests/jest/project-timeouts.ts'],
};

// Three projects, each with its own hard per-test timeout (tests/jest/project-timeouts.ts): a hung
// test fails loudly instead of holding the run. `npm test` runs unit and e2e; `npm run test:chaos`
// (JEST_CHAOS=1) runs chaos alone: real child processes and injected faults, one file at a time.
// The choice is made here rather than with --selectProjects, which would swallow the test paths
// that follow it (`npm test -- shared/src/messaging`).
const projects = {
  unit: {
    ...shared,
    displayName: 'unit',
    testMatch: [
      '<rootDir>/{shared,gateway,subgraphs,payment-provider,scripts,deploy}/**/*.test.ts',
    ],
  },
  e2e: { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  chaos: { ...shared, displayName: 'chaos', testMatch: ['<rootDir>/tests/chaos/**/*.test.ts'] },
};

const config: Config = {
  projects: process.env.JEST_CHAOS === '1' ? [projects.chaos] : [projects.unit, projects.e2e],
  globalSetup: '<rootDir>/tests/global-setup.ts',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
  maxWorkers: 2,
  // Something a suite left running (a server, a timer, a socket) is reported, not waited on silently.
  openHandlesTimeout: 5_000,
};

export default config;
