/**
 * This repository's `wire-federation` CLI: the library's CLI with the example environments of
 * `stacks/environments` known by name. `bin/wire-federation.js` runs it through tsx in a
 * checkout of the repository (package.json `wireFederation.cliProject` names this file).
 */
import type { CliProject } from '../bin/cli';
import { ENVIRONMENTS_BASE_DIR, LOCKS_DIR, PEERS_DIR, environmentSource, environments } from './environments';

/** One environment's stack as `cdktf synth` makes it, in memory (for `render`). */
function synthesize(environment: string): unknown {
  // Loaded here: `verify` through this CLI loads no cdktf (only `render` synthesizes).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const { addEnvironments } = require('./app') as typeof import('./app');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const stacks = addEnvironments(Testing.app(), environments, ENVIRONMENTS_BASE_DIR, {
    locksDir: LOCKS_DIR,
    sourceOf: (c) => environmentSource(c.environment),
  });
  const stack = stacks.find((s) => s.node.id === environment);
  if (stack === undefined) throw new Error(`no stack ${environment}`);
  return JSON.parse(Testing.synth(stack));
}

/** The environments of this repository, for the CLI. */
export const repositoryProject: CliProject = {
  environments,
  baseDir: ENVIRONMENTS_BASE_DIR,
  locksDir: LOCKS_DIR,
  peersDir: PEERS_DIR,
  sourceOf: environmentSource,
  synthesize,
};
