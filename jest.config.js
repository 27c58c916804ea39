/**
 * Two projects:
 * - `unit` (`npm test`): everything but the end-to-end tests below; in process where a subprocess
 *   adds nothing. At most 4 minutes on a 2-core machine.
 * - `e2e` (`npm run test:e2e`, run in band): the tests that install the packed package into a
 *   fresh folder (each runs `npm pack`, which rebuilds dist/: never two at once) or run a real
 *   Prometheus. `npm run test:all` runs both, as CI and the README's quick start do.
 *
 * Timeouts are sized for a loaded 2-core machine (other work beside the tests): no test may
 * depend on the machine being idle. `npm run test:times` prints the slowest files.
 */
const E2E = ['__tests__/package/consumer.test.ts', '__tests__/package/production-install.test.ts', '__tests__/monitoring/prometheus.test.ts'];

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  // jest's default of 5 s fails a test that runs helm or a server on a busy machine; tests that
  // need more say so themselves.
  testTimeout: 60_000,
};

/** @type {import('jest').Config} */
module.exports = {
  // jest's default on 2 cores is one worker (cores - 1): most files wait on helm, servers or
  // child processes, so two workers overlap them.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...E2E.map((f) => `<rootDir>/${f}`)] },
    { ...common, displayName: 'e2e', testMatch: E2E.map((f) => `<rootDir>/${f}`) },
  ],
};
