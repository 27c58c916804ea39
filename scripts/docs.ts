/**
 * `npm run docs` (first step): writes the references generated from the code into
 * docs/reference/ (config, CLI, checks). The TypeDoc API reference (docs/api) follows in the
 * npm script. `__tests__/docs/references.test.ts` fails when the committed files differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateReferences } from './docs/references';

const ROOT = resolve(__dirname, '..');
for (const [file, content] of generateReferences(ROOT)) {
  mkdirSync(dirname(join(ROOT, file)), { recursive: true });
  writeFileSync(join(ROOT, file), content);
  process.stdout.write(`wrote ${file}\n`);
}
