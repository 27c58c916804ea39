/**
 * `npm run test:times` (scripts/test-times.ts) reads jest's `--json` results: the slowest files
 * first, with the totals and the wall time.
 */
import { fileTimes, report } from '../scripts/test-times';

const file = (name: string, seconds: number, tests: number, status = 'passed') => ({
  name: `/repo/__tests__/${name}`,
  status,
  startTime: 1_000_000,
  endTime: 1_000_000 + seconds * 1000,
  assertionResults: Array.from({ length: tests }, () => ({})),
});

const results = {
  numTotalTests: 9,
  numPassedTests: 7,
  numFailedTests: 1,
  numPendingTests: 1,
  numTotalTestSuites: 3,
  startTime: 1_000_000,
  testResults: [file('a.test.ts', 2.5, 3), file('slow/b.test.ts', 40, 5, 'failed'), file('c.test.ts', 0.25, 1)],
};

test('the files, slowest first, relative to the root', () => {
  expect(fileTimes(results, '/repo')).toEqual([
    { file: '__tests__/slow/b.test.ts', seconds: 40, tests: 5, status: 'failed' },
    { file: '__tests__/a.test.ts', seconds: 2.5, tests: 3, status: 'passed' },
    { file: '__tests__/c.test.ts', seconds: 0.25, tests: 1, status: 'passed' },
  ]);
});

test('the report: totals, wall time and the top N files, failures marked', () => {
  const text = report(results, { top: 2, root: '/repo' });
  expect(text).toContain('3 files, 9 tests: 7 passed, 1 failed, 1 skipped');
  expect(text).toContain("wall time 40.0 s; the files' own times add up to 42.8 s");
  expect(text).toContain('slowest 2 files:');
  expect(text).toMatch(/ {3}40\.0 s {2}__tests__\/slow\/b\.test\.ts +5 tests {2}FAILED\n/);
  expect(text).toMatch(/ {4}2\.5 s {2}__tests__\/a\.test\.ts +3 tests\n/);
  expect(text).not.toContain('c.test.ts');
  expect(report(results, { top: 2, root: '/repo', wallSeconds: 12.34 })).toContain('wall time 12.3 s');
});
