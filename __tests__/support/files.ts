/**
 * Small file-system helpers for tests that look at what a run wrote.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every regular file below `dir` (recursive), as paths relative to `dir`, sorted; [] when `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() || (entry.isSymbolicLink() && statSync(path).isFile())) files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

/** Directories named `name` below `root`, skipping `skip` (e.g. node_modules, .git). */
export function directoriesNamed(root: string, name: string, skip: readonly string[] = ['node_modules', '.git']): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (!entry.isDirectory() || skip.includes(entry.name)) continue;
      const path = join(current, entry.name);
      if (entry.name === name) found.push(path);
      walk(path);
    }
  };
  walk(root);
  return found.sort();
}
