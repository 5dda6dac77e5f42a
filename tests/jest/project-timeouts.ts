// The hard per-test timeout of each jest project. Jest reads `testTimeout` only from the global
// configuration, so each project sets its own here, before its test files run.
import { expect, jest } from '@jest/globals';

/** Per project (the directory a test file lives under), how long one test (or hook) may take. */
const TIMEOUTS: [RegExp, number][] = [
  // One chaos scenario: load, a fault, and its settle deadline.
  [/\/tests\/chaos\//, 240_000],
];

const path = expect.getState().testPath ?? '';
// Unit and end-to-end tests: 30 s (a suite's stack starts in a hook with a longer timeout of its own).
jest.setTimeout(TIMEOUTS.find(([pattern]) => pattern.test(path))?.[1] ?? 30_000);
