/**
 * Runs the `wire-federation` CLI in process and captures what it writes, with this
 * repository's environments known by name (as `npx wire-federation` in the checkout).
 */
import { runCli } from '../../bin/cli';
import { repositoryProject } from '../../stacks/cli';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(args: readonly string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, { writeOut: (t) => (out += t), writeErr: (t) => (err += t) }, repositoryProject);
  return { code, out, err };
}

/** Output split into lines, without the empty line after the final newline. */
export const lines = (text: string): string[] => text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
