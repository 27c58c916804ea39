/**
 * `wire-federation`: the operator CLI. Each command lives in `bin/commands/<name>.ts` and
 * registers itself on the program. Exit codes: 0 ok, 1 problems found, 2 usage errors.
 *
 * The CLI knows environments by name only through a {@link CliProject}: an app that keeps its
 * environments in code runs `main(process.argv.slice(2), project)` from its own entry point
 * (this repository: `stacks/cli.ts`). Without one, commands read `--config <file>`.
 *
 * @module wire-federation-cdktf/cli
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { useProject } from './config-source';
import type { CliProject } from './project';

export type { CliProject } from './project';

/** Where the CLI writes; defaults to the process's stdout and stderr. */
export interface CliOutput {
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
}

/**
 * Builds the program, with every command or only `command` (the first argument of the command
 * line: the others are not loaded). Commands write through `this.configureOutput()` (inherited from here), so
 * tests can capture their output by passing `output`.
 */
export function buildProgram(output?: CliOutput, command?: string): Command {
  const program = new Command('wire-federation')
    .description('Federation for Wire backends: check configs and deployed backends')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text), ...(output ?? {}) });
  registerCommands(program, command);
  return program;
}

/**
 * Runs the CLI; resolves to the exit code instead of exiting (testable in-process).
 * A command ends with a specific exit code by throwing a `CommanderError` whose code does not
 * start with `commander.` (e.g. via `this.error(msg, {exitCode, code})`).
 */
export async function runCli(argv: readonly string[], output?: CliOutput, project?: CliProject): Promise<number> {
  useProject(project);
  // Only the command that runs is loaded (`verify` loads no cdktf).
  const program = buildProgram(output, argv[0]);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // A command's own exit code.
      if (!e.code.startsWith('commander.')) return e.exitCode;
      // --help and --version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
}

/**
 * Runs the CLI as a process: writes to stdout/stderr and exits with the CLI's exit code.
 * @param argv - the arguments after the program name (`process.argv.slice(2)`)
 * @param project - the environments known by name; without it, commands read `--config` files
 */
export function main(argv: readonly string[], project?: CliProject): void {
  // `wire-federation … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  runCli(argv, undefined, project).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`wire-federation: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}

// Run when executed directly (the published package's bin requires this file).
if (require.main === module) main(process.argv.slice(2));
