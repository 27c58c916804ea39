/**
 * The references generated from the code, in memory: file (relative to the repository) → content.
 * Deterministic: no dates, no absolute paths.
 */
import { chartVersionsReference } from './chart-versions-reference';
import { checksReference } from './checks-reference';
import { cliReference } from './cli-reference';
import { configReference } from './config-reference';

/** `root` is the repository (the schema's source is read from there). */
export function generateReferences(root: string): Map<string, string> {
  return new Map([
    ['docs/reference/config.md', configReference(root)],
    ['docs/reference/cli.md', cliReference()],
    ['docs/reference/checks.md', checksReference()],
    ['docs/reference/chart-versions.md', chartVersionsReference()],
  ]);
}
