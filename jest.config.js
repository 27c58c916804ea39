/**
 * `npm test`: the fast suite, everything but the end-to-end tests of jest.e2e.config.js (which
 * `npm run test:e2e` runs; `npm run test:all` runs both, as CI and the README's quick start do).
 * In process where a subprocess adds nothing; at most 4 minutes on a 2-core machine.
 *
 * Timeouts are sized for a loaded 2-core machine (other work beside the tests): no test may
 * depend on the machine being idle. `npm run test:times` prints the slowest files.
 */
// The end-to-end tests (jest.e2e.config.js runs exactly these): the package packed and installed,
// a real Prometheus, every command of the docs run offline, and the real Wire chart archives
// rendered by helm.
const E2E = [
  '__tests__/package/consumer.test.ts',
  '__tests__/package/production-install.test.ts',
  '__tests__/monitoring/prometheus.test.ts',
  '__tests__/docs/doc-blocks.test.ts',
  '__tests__/render/real-charts.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...E2E.map((f) => `<rootDir>/${f}`)],
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  // jest's default of 5 s fails a test that runs helm or a server on a busy machine; tests that
  // need more say so themselves.
  testTimeout: 60_000,
  // jest's default on 2 cores is one worker (cores - 1): most files wait on helm, servers or
  // child processes, so two workers overlap them.
  maxWorkers: 2,
};
