import { App } from 'cdktf';
import { ConfigProblem, FederationConfigError, WireFederationConfig, WireFederationInput, parseFederationConfig } from '../lib/config';
import { FederationStack } from './federation-stack';

/**
 * Parses every environment and adds one {@link FederationStack} per environment to `app`.
 * Every invalid environment is reported before anything is synthesized.
 */
export function addEnvironments(app: App, inputs: readonly WireFederationInput[], baseDir: string): FederationStack[] {
  const configs: WireFederationConfig[] = [];
  const problems: ConfigProblem[] = [];
  inputs.forEach((input, i) => {
    try {
      configs.push(parseFederationConfig(input, { baseDir }));
    } catch (e) {
      if (!(e instanceof FederationConfigError)) throw e;
      // Prefix each path with the environment, so problems of several environments stay apart.
      const name = String((input as { environment?: unknown }).environment ?? `#${i}`);
      problems.push(...e.problems.map((p) => ({ ...p, path: `${name}:${p.path}` })));
    }
  });
  if (problems.length > 0) throw new FederationConfigError(problems, 'stacks/environments');
  const backends = new Map(configs.map((c) => [c.environment, c.backend]));
  return configs.map((config) => new FederationStack(app, { config, otherEnvironments: backends }));
}
