/**
 * README.md is a landing page: short, with the quick start CI runs, and two clicks from the
 * adopt-then-add-a-peer path. The CLI table names every command of the program.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../bin/cli';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

test('README.md is at most 15 KB', () => {
  expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(15 * 1024);
});

test('the quick start shows the commands CI runs (.ci/run calls npm run test:all and npm run synth)', () => {
  expect(readme).toContain('npm ci && npm run synth');
  expect(readme).toContain('npm ci && npm run test:all');
  const ci = read('.ci/run');
  expect(ci).toMatch(/^npm run test:all\b/m);
  expect(ci).toMatch(/^npm run synth$/m);
});

test('npm run test:all runs the fast suite and the end-to-end tests; together they hold every test file', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  expect(scripts['test:all']).toBe('npm test && npm run test:e2e');
  expect(scripts.test).toBe('jest');
  expect(scripts['test:e2e']).toMatch(/^jest -c jest\.e2e\.config\.js\b/);
  // Every end-to-end file exists (a renamed one would run nowhere), and the fast suite leaves out exactly those.
  type Config = { testMatch: string[]; testPathIgnorePatterns: string[] };

  const [unit, e2e] = ['jest.config.js', 'jest.e2e.config.js'].map((f) => require(join(ROOT, f)) as Config) as [Config, Config];
  for (const file of e2e.testMatch) expect(statSync(file.replace('<rootDir>', ROOT)).isFile()).toBe(true);
  expect(unit.testPathIgnorePatterns.filter((p) => p.startsWith('<rootDir>/'))).toEqual(e2e.testMatch);
});

test('a new operator reaches adopt, then add a peer, in two clicks', () => {
  expect(readme).toContain('](docs/existing-backend.md)');
  const existing = read('docs/existing-backend.md');
  expect(existing).toMatch(/adopt/);
  expect(existing).toContain('](add-a-peer.md)');
});

test('the README links the guides index, the references and the API reference', () => {
  for (const link of [
    'docs/README.md',
    'docs/reference/config.md',
    'docs/reference/cli.md',
    'docs/reference/checks.md',
    'docs/api/README.md',
    'docs/troubleshooting.md',
  ]) {
    expect(readme).toContain(`](${link})`);
  }
});

test("the README's CLI table names every command of the program", () => {
  const table = readme.slice(readme.indexOf('## The CLI'), readme.indexOf('## The library'));
  for (const command of buildProgram().commands.map((c) => c.name())) expect(table).toContain(`| \`${command}`);
});
