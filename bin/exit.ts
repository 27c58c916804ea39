import { CommanderError } from 'commander';

/** Error code of a CommanderError that carries a command's own exit code (see `runCli`). */
export const COMMAND_EXIT = 'wire-federation.exit';

/** Ends the running command with `code` (0 ok, 1 problems found, 2 usage error). */
export function exitWith(code: number, message = `exit ${code}`): never {
  throw new CommanderError(code, COMMAND_EXIT, message);
}
