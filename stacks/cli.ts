/**
 * This repository's `wire-federation` CLI: the library's CLI with the example environments of
 * `stacks/environments` known by name. `bin/wire-federation.js` runs it through tsx in a
 * checkout of the repository.
 */
import type { CliProject } from '../bin/cli';
import { ENVIRONMENTS_BASE_DIR, LOCKS_DIR, environmentSource, environments } from './environments';

/** The environments of this repository, for the CLI. */
export const repositoryProject: CliProject = {
  environments,
  baseDir: ENVIRONMENTS_BASE_DIR,
  locksDir: LOCKS_DIR,
  sourceOf: environmentSource,
};
