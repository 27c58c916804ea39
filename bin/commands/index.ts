import type { Command } from 'commander';
import { registerVerify } from './verify';

/** Adds every command to the program. One module per command. */
export function registerCommands(program: Command): void {
  void program;
  registerVerify(program);
}
