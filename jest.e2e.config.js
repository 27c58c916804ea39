/**
 * `npm run test:e2e` (in band): the end-to-end tests, left out of `npm test` (jest.config.js).
 * The package packed and installed into fresh folders (each file runs `npm pack`, which rebuilds
 * dist/: never two at once), and a real Prometheus scraping the exporter.
 */
const unit = require('./jest.config');

const E2E = ['__tests__/package/consumer.test.ts', '__tests__/package/production-install.test.ts', '__tests__/monitoring/prometheus.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  testMatch: E2E.map((f) => `<rootDir>/${f}`),
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
};
