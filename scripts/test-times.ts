/**
 * `npm run test:times [-- <jest arguments>]`: runs jest once with `--json` and prints how long
 * the run took, the slowest test files and the machine's load average before and after (the
 * machine may be shared: a number taken under load says so).
 *
 * - `npm run test:times` - the fast suite (`npm test`);
 * - `npm run test:times -- -c jest.e2e.config.js -i` - the end-to-end tests (`npm run test:e2e`);
 * - `npm run test:times -- __tests__/cli` - one folder;
 * - `npm run test:times -- --from results.json` - reads a results file jest wrote earlier
 *   (`--json --outputFile=results.json`) instead of running jest.
 * - `--top N` - how many of the slowest files to print (default 15).
 *
 * Exits with jest's exit code (0 when every test passed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** The parts of jest's `--json` results this script reads. */
interface JestResults {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTotalTestSuites: number;
  readonly startTime: number;
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly assertionResults: readonly unknown[];
  }[];
}

export interface FileTime {
  readonly file: string;
  readonly seconds: number;
  readonly tests: number;
  readonly status: string;
}

/** The files of a jest results object, slowest first. */
export function fileTimes(results: JestResults, root = ROOT): FileTime[] {
  return results.testResults
    .map((r) => ({ file: relative(root, r.name), seconds: (r.endTime - r.startTime) / 1000, tests: r.assertionResults.length, status: r.status }))
    .sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file));
}

/** The report: totals, then the `top` slowest files. */
export function report(results: JestResults, options: { top: number; wallSeconds?: number; root?: string }): string {
  const files = fileTimes(results, options.root);
  const lastEnd = Math.max(results.startTime, ...results.testResults.map((r) => r.endTime));
  const wall = options.wallSeconds ?? (lastEnd - results.startTime) / 1000;
  const sum = files.reduce((s, f) => s + f.seconds, 0);
  const width = Math.max(4, ...files.slice(0, options.top).map((f) => f.file.length));
  return [
    `${results.numTotalTestSuites} files, ${results.numTotalTests} tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`,
    `wall time ${wall.toFixed(1)} s; the files' own times add up to ${sum.toFixed(1)} s`,
    '',
    `slowest ${Math.min(options.top, files.length)} files:`,
    ...files
      .slice(0, options.top)
      .map(
        (f) =>
          `  ${f.seconds.toFixed(1).padStart(7)} s  ${f.file.padEnd(width)}  ${String(f.tests).padStart(4)} tests${f.status === 'passed' ? '' : `  ${f.status.toUpperCase()}`}`,
      ),
    '',
  ].join('\n');
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function main(argv: readonly string[]): number {
  const args = [...argv];
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${name} needs a value`);
    args.splice(i, 2);
    return value;
  };
  const top = Number(option('--top') ?? 15);
  const from = option('--from');
  if (from !== undefined) {
    process.stdout.write(report(JSON.parse(readFileSync(from, 'utf8')) as JestResults, { top }));
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'test-times-'));
  try {
    const out = join(dir, 'results.json');
    const loadBefore = load();
    const began = process.hrtime.bigint();
    const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [ROOT] }), ...args, '--json', `--outputFile=${out}`], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const wallSeconds = Number(process.hrtime.bigint() - began) / 1e9;
    if (jest.error) throw jest.error;
    process.stdout.write(`\n${report(JSON.parse(readFileSync(out, 'utf8')) as JestResults, { top, wallSeconds })}`);
    process.stdout.write(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()} on ${cpus().length} CPUs\n`);
    return jest.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
