/**
 * The cdktf app: one stack per environment of `stacks/environments`.
 * `cdktf synth` synthesizes all; `cdktf deploy <env>` / `cdktf diff <env>` target one.
 */
import { synthesizeEnvironments } from './stacks/app';
import { ENVIRONMENTS_BASE_DIR, LOCKS_DIR, configSource, environments } from './stacks/environments';

synthesizeEnvironments(environments, ENVIRONMENTS_BASE_DIR, { locksDir: LOCKS_DIR, sourceOf: configSource });
