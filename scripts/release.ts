/**
 * Checks run by the release workflow before publishing, as pure functions (tested) and a small
 * command: `node --require tsx/cjs scripts/release.ts <tag> [notes-file]`.
 * - the tag is `v<version>` of package.json (semver, 0.x while the API settles);
 * - CHANGELOG.md has a section `## [<version>] - YYYY-MM-DD` with content; its text becomes
 *   the release notes;
 * - prints the npm dist-tag: `latest`, or `next` for a pre-release (`0.3.0-rc.1`).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

export interface ReleasePlan {
  readonly version: string;
  /** npm dist-tag to publish under. */
  readonly distTag: 'latest' | 'next';
  /** The changelog section of the version, without its heading. */
  readonly notes: string;
}

/** The body of the `## [version]` section of a Keep a Changelog file, or an error. */
export function changelogSection(changelog: string, version: string): { notes: string } | { error: string } {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## [${version}]`));
  if (start < 0) return { error: `CHANGELOG.md has no section "## [${version}] - YYYY-MM-DD": move the entries of [Unreleased] into it` };
  if (!/^## \[[^\]]+\] - \d{4}-\d{2}-\d{2}\s*$/.test(lines[start])) {
    return { error: `CHANGELOG.md: the heading of ${version} must be "## [${version}] - YYYY-MM-DD"; found "${lines[start]}"` };
  }
  const end = lines.findIndex((l, i) => i > start && (l.startsWith('## ') || /^\[[^\]]+\]: /.test(l)));
  const notes = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
  if (notes === '') return { error: `CHANGELOG.md: the section of ${version} is empty` };
  return { notes };
}

/** What to publish for `tag`, or every reason not to. */
export function planRelease(tag: string, packageVersion: string, changelog: string): ReleasePlan | { errors: string[] } {
  const errors: string[] = [];
  const version = tag.replace(/^v/, '');
  if (!tag.startsWith('v') || !SEMVER.test(version)) errors.push(`tag "${tag}" is not v<major>.<minor>.<patch>[-pre-release], e.g. v0.2.0`);
  if (version !== packageVersion)
    errors.push(
      `tag "${tag}" does not match package.json version "${packageVersion}": run \`npm version ${version} --no-git-tag-version\`, commit, and tag that commit`,
    );
  const section = changelogSection(changelog, version);
  if ('error' in section) errors.push(section.error);
  if (errors.length > 0 || 'error' in section) return { errors };
  return { version, distTag: SEMVER.exec(version)?.[4] ? 'next' : 'latest', notes: section.notes };
}

if (require.main === module) {
  const [tag, notesFile = 'release-notes.md'] = process.argv.slice(2);
  const root = join(__dirname, '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const plan = planRelease(tag ?? '', pkg.version, readFileSync(join(root, 'CHANGELOG.md'), 'utf8'));
  if ('errors' in plan) {
    for (const e of plan.errors) process.stderr.write(`release: ${e}\n`);
    process.exit(1);
  }
  writeFileSync(notesFile, `${plan.notes}\n`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `dist-tag=${plan.distTag}\nversion=${plan.version}\n`);
  process.stdout.write(`release ${plan.version} (npm dist-tag ${plan.distTag}); notes in ${notesFile}\n`);
}
