/**
 * The release workflow's checks (scripts/release.ts) and the changelog they read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changelogSection, planRelease } from '../scripts/release';
import { REPO_ROOT } from './support/config';

const CHANGELOG = `# Changelog

## [Unreleased]
- next thing

## [0.2.0] - 2026-12-01
### Added
- verify library

## [0.1.0] - 2026-11-30
### Added
- first release

[Unreleased]: https://example.test/compare/v0.2.0...HEAD
`;

describe('release plan', () => {
  test('a tag that matches package.json and a dated changelog section: latest, with that section as notes', () => {
    expect(planRelease('v0.2.0', '0.2.0', CHANGELOG)).toEqual({ version: '0.2.0', distTag: 'latest', notes: '### Added\n- verify library' });
    expect(planRelease('v0.1.0', '0.1.0', CHANGELOG)).toMatchObject({ notes: '### Added\n- first release' });
  });

  test('a pre-release goes to the next dist-tag', () => {
    const changelog = CHANGELOG.replace('## [0.2.0] - 2026-12-01', '## [0.3.0-rc.1] - 2026-12-02\n- candidate\n\n## [0.2.0] - 2026-12-01');
    expect(planRelease('v0.3.0-rc.1', '0.3.0-rc.1', changelog)).toMatchObject({ distTag: 'next', notes: '- candidate' });
  });

  test('refuses a tag that is not the package version, with the command that fixes it', () => {
    expect(planRelease('v0.3.0', '0.2.0', CHANGELOG)).toEqual({
      errors: [
        'tag "v0.3.0" does not match package.json version "0.2.0": run `npm version 0.3.0 --no-git-tag-version`, commit, and tag that commit',
        'CHANGELOG.md has no section "## [0.3.0] - YYYY-MM-DD": move the entries of [Unreleased] into it',
      ],
    });
    expect(planRelease('release-1', '0.2.0', CHANGELOG)).toMatchObject({
      errors: [expect.stringMatching(/^tag "release-1" is not v<major>\.<minor>\.<patch>/), expect.any(String), expect.any(String)],
    });
  });

  test('refuses an undated or empty section', () => {
    expect(changelogSection('## [0.4.0]\n- x\n', '0.4.0')).toEqual({
      error: 'CHANGELOG.md: the heading of 0.4.0 must be "## [0.4.0] - YYYY-MM-DD"; found "## [0.4.0]"',
    });
    expect(changelogSection('## [0.4.0] - 2026-12-03\n\n## [0.3.0] - 2026-12-01\n- y\n', '0.4.0')).toEqual({
      error: 'CHANGELOG.md: the section of 0.4.0 is empty',
    });
  });

  test('CHANGELOG.md follows Keep a Changelog: an Unreleased section first, versions dated', () => {
    const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    const headings = changelog.split('\n').filter((l) => l.startsWith('## '));
    expect(headings[0]).toBe('## [Unreleased]');
    for (const h of headings.slice(1)) expect(h).toMatch(/^## \[\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\] - \d{4}-\d{2}-\d{2}$/);
    expect(changelog).toContain('https://keepachangelog.com/');
  });
});
