import type { Command } from 'commander';
import { registerLock } from './lock';
import { registerValidate } from './validate';
import { registerVerify } from './verify';

/** Adds every command to the program. One module per command. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerLock(program);
  registerVerify(program);
}
