/**
 * Commands in messages, as the user types them where the check runs: this repository's CLI
 * knows environments by name (`npx wire-federation lock staging`), the library's CLI in a
 * consumer project reads config files (`npx wire-federation lock acme.yaml`). Every message
 * that tells the user to run a command builds it here.
 */
import { isAbsolute, relative, resolve } from 'node:path';

/** How the CLI is started by default (the package's `bin` through npx). */
export const DEFAULT_CLI = 'npx wire-federation';

export interface CommandHintOptions {
  /**
   * The CLI as the user starts it where the check runs (e.g. `npm run wire-federation --`).
   * @default 'npx wire-federation'
   */
  readonly cli?: string;
  /**
   * What names the environment on that CLI's command line: its name (a CLI that knows the
   * app's environments) or its config file (relative to the working directory).
   */
  readonly target: string;
}

/** Builds `<cli> <command> <target> [args…]`, ready to paste. */
export type CommandHint = (command: string, ...args: string[]) => string;

/** A word for a POSIX shell: quoted only when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@=+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command builder for one environment. */
export function commandHint(options: CommandHintOptions): CommandHint {
  const cli = options.cli ?? DEFAULT_CLI;
  return (command, ...args) => [cli, command, shellWord(options.target), ...args].join(' ');
}

/**
 * A file as the user names it on the command line and in messages: relative to the working
 * directory when it lies inside it, else absolute.
 */
export function fileTarget(file: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}
