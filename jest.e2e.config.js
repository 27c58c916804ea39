/**
 * `npm run test:e2e` (in band): the end-to-end tests, left out of `npm test` (jest.config.js).
 * The package packed and installed into fresh folders (each file runs `npm pack`, which rebuilds
 * dist/: never two at once), a real Prometheus scraping the exporter, the docs' commands run
 * offline (doc blocks) and the real chart archives rendered by helm. The list is jest.config.js's:
 * what the fast suite leaves out runs here.
 */
const unit = require('./jest.config');

const E2E = unit.testPathIgnorePatterns.filter((p) => p.startsWith('<rootDir>/'));

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  testMatch: E2E,
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
};
