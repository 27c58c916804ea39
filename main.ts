/**
 * The cdktf app: one stack per environment of `stacks/environments`.
 * `cdktf synth` synthesizes all; `cdktf deploy <env>` / `cdktf diff <env>` target one.
 */
import { App } from 'cdktf';
import { FederationConfigError } from './lib/config';
import { addEnvironments } from './stacks/app';
import { ENVIRONMENTS_BASE_DIR, LOCKS_DIR, environments } from './stacks/environments';

try {
  const app = new App();
  addEnvironments(app, environments, ENVIRONMENTS_BASE_DIR, { locksDir: LOCKS_DIR });
  app.synth();
} catch (e) {
  if (!(e instanceof FederationConfigError)) throw e;
  // A user mistake: the message says what to fix; a stack trace would only hide it.
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
