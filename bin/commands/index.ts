import type { Command } from 'commander';
import { registerAdopt } from './adopt';
import { registerCard } from './card';
import { registerCheckPairs } from './check-pairs';
import { registerLock } from './lock';
import { registerPreflight } from './preflight';
import { registerRender } from './render';
import { registerValidate } from './validate';
import { registerVerify } from './verify';

/** Adds every command to the program. One module per command. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerLock(program);
  registerVerify(program);
  registerCheckPairs(program);
  registerPreflight(program);
  registerAdopt(program);
  registerRender(program);
  registerCard(program);
}
