/**
 * `wire-federation`: the operator CLI. Each command lives in `bin/commands/<name>.ts` and
 * registers itself on the program. Exit codes: 0 ok, 1 problems found, 2 usage errors.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';

/** Where the CLI writes; defaults to the process's stdout and stderr. */
export interface CliOutput {
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
}

/**
 * Builds the program. Commands write through `this.configureOutput()` (inherited from here), so
 * tests can capture their output by passing `output`.
 */
export function buildProgram(output?: CliOutput): Command {
  const program = new Command('wire-federation')
    .description('Federation for Wire backends: check configs and deployed backends')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text), ...(output ?? {}) });
  registerCommands(program);
  return program;
}

/**
 * Runs the CLI; resolves to the exit code instead of exiting (testable in-process).
 * A command ends with a specific exit code by throwing a `CommanderError` whose code does not
 * start with `commander.` (e.g. via `this.error(msg, {exitCode, code})`).
 */
export async function runCli(argv: readonly string[], output?: CliOutput): Promise<number> {
  const program = buildProgram(output);
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

// Run when executed: directly, or through bin/wire-federation.js (also via a node_modules/.bin link).
if (require.main === module || require.main?.filename.endsWith('wire-federation.js')) {
  // `wire-federation … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`wire-federation: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}
