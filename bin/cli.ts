/**
 * `wire-federation`: the operator CLI. Each command lives in `bin/commands/<name>.ts` and
 * registers itself on the program. Exit codes: 0 ok, 1 problems found, 2 usage errors.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';

export function buildProgram(): Command {
  const program = new Command('wire-federation')
    .description('Federation for Wire backends: check configs and deployed backends')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerCommands(program);
  return program;
}

/** Runs the CLI; resolves to the exit code instead of exiting (testable). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
}

if (require.main === module || process.argv[1]?.endsWith('wire-federation.js')) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`wire-federation: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}
