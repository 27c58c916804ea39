/**
 * Commands are thin and independent: no command module imports another (shared option parsers
 * live in bin/options.ts); only the command index loads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/config';

const DIR = join(REPO_ROOT, 'bin/commands');

test('no command imports another command', () => {
  const commands = readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  expect(commands.length).toBeGreaterThan(5);
  for (const file of commands) {
    const source = readFileSync(join(DIR, file), 'utf8');
    const siblings = [...source.matchAll(/(?:from\s+|require\()\s*'\.\/([^']+)'/g)].map((m) => m[1]);
    expect({ file, siblings }).toEqual({ file, siblings: [] });
  }
});
