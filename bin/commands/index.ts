import type { Command } from 'commander';

type Register = (program: Command) => void;

/*
 * One module per command, loaded only when needed: `wire-federation verify` (the exporter's
 * image) loads the verify command and what it needs, never cdktf or the providers, which only
 * the commands that synthesize (validate, render, adopt, ...) load. `require` inside functions
 * keeps them out of the start-up path; the order here is the order of `--help`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: ReadonlyArray<readonly [string, () => Register]> = [
  ['validate', () => (require('./validate') as typeof import('./validate')).registerValidate],
  ['lock', () => (require('./lock') as typeof import('./lock')).registerLock],
  ['verify', () => (require('./verify') as typeof import('./verify')).registerVerify],
  ['check-pairs', () => (require('./check-pairs') as typeof import('./check-pairs')).registerCheckPairs],
  ['mesh', () => (require('./mesh') as typeof import('./mesh')).registerMesh],
  ['preflight', () => (require('./preflight') as typeof import('./preflight')).registerPreflight],
  ['adopt', () => (require('./adopt') as typeof import('./adopt')).registerAdopt],
  ['render', () => (require('./render') as typeof import('./render')).registerRender],
  ['card', () => (require('./card') as typeof import('./card')).registerCard],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The names of every command, in the order of `--help`. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * Adds the commands to the program: only `command` when it names one (the command line's first
 * argument), every command otherwise (`--help`, a typo that commander suggests a name for).
 */
export function registerCommands(program: Command, command?: string): void {
  const only = COMMANDS.find(([name]) => name === command);
  for (const [, load] of only ? [only] : COMMANDS) load()(program);
}
