/**
 * The committed lock of an environment: what must not change silently. Pure functions; the file
 * handling lives in `lock-file.ts`.
 */
import type { ConfigProblem } from '../config/errors';
import type { WireFederationConfig } from '../config/parse';
import { usesNginxIngressServices } from '../config/parse';
import type { IngressChartName } from '../ingress/ingress-chart';
import { CommandHint, commandHint } from '../config/command-hint';
import { domainPinAddress } from './pin-address';

/** Contents of the lock file of an environment (`<locks dir>/<environment>.json`, see `lock-file.ts`). */
export interface EnvironmentLock {
  readonly environment: string;
  /** The backend domain the environment was deployed with. It can never change. */
  readonly backendDomain: string;
  /**
   * The ingress chart that served federation when the lock was written (during a migration's
   * side-by-side step, still the old one). @default nginx-ingress-services (locks written before
   * wire-ingress existed)
   */
  readonly ingressChart?: IngressChartName;
  /** Every peer domain ever configured (brig cannot forget a remote), sorted. */
  readonly peers: readonly string[];
}

/** The chart whose release serves federation for `config` (the old one while both run). */
export function servingIngressChart(config: Pick<WireFederationConfig, 'ingress'>): IngressChartName {
  return usesNginxIngressServices(config) ? 'nginx-ingress-services' : config.ingress.chart;
}

/** The lock that records `config`, keeping peers of `previous` (a remote is never forgotten). */
export function lockFor(config: WireFederationConfig, previous?: EnvironmentLock): EnvironmentLock {
  const peers = new Set([...(previous?.peers ?? []), ...config.peers.map((p) => p.domain)]);
  const chart = servingIngressChart(config);
  // Written only when not the default, so locks of nginx-ingress-services environments stay as they were.
  return {
    environment: config.environment,
    backendDomain: config.backendDomain,
    ...(chart === 'nginx-ingress-services' ? {} : { ingressChart: chart }),
    peers: [...peers].sort(),
  };
}

export interface LockProblemsOptions {
  /**
   * Where the lock is kept, named in the messages (e.g. the lock file's path relative to the
   * working directory).
   * @default - `the lock file of environment <environment>`
   */
  readonly lockFile?: string;
  /**
   * Builds the commands the messages tell the user to run, as typed where the check runs.
   * @default - `npx wire-federation <command> <environment>`
   */
  readonly command?: CommandHint;
  /**
   * The Terraform state address of the environment's domain pin (what `terraform state rm`
   * takes). @default - the address in a `FederationStack`'s WireFederation with id `Federation`
   */
  readonly pinAddress?: string;
}

/**
 * What in `config` contradicts its lock: a changed backend domain, or (with `remotes.mode: api`,
 * where peers live in brig's database) a peer that disappeared without being listed in
 * `remotes.removedPeers`. In `config` mode a removed peer leaves brig's list with the values.
 */
export function lockProblems(config: WireFederationConfig, lock: EnvironmentLock, options: LockProblemsOptions = {}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const lockFile = options.lockFile ?? `the lock file of environment ${config.environment}`;
  const command = options.command ?? commandHint({ target: config.environment });
  if (lock.backendDomain !== config.backendDomain) {
    problems.push({
      path: 'backendDomain',
      message:
        `is ${JSON.stringify(config.backendDomain)}, but environment ${config.environment} is locked to ${JSON.stringify(lock.backendDomain)} ` +
        `(${lockFile}). The backend domain is part of every user's identity and ` +
        'cannot change once users exist: clients may crash or lose data. Set it back. If this environment has no users yet ' +
        `and you mean to start over, run \`${command('lock', '--reset-domain')}\`, review the lock change ` +
        `in your pull request, and remove the pin from the state before deploying: \`terraform state rm '${options.pinAddress ?? domainPinAddress()}'\` ` +
        `(in cdktf.out/stacks/${config.environment}).`,
    });
  }
  const lockedChart = lock.ingressChart ?? 'nginx-ingress-services';
  if (lockedChart === 'nginx-ingress-services' && config.ingress.chart === 'wire-ingress' && config.ingress.migration === undefined) {
    problems.push({
      path: 'ingress.chart',
      rule: 'locked-ingress-chart',
      message:
        `is wire-ingress, but environment ${config.environment} is locked to nginx-ingress-services (${lockFile}). Switching in one step ` +
        'destroys the nginx-ingress-services release while the federator record still points at its address, and Helm refuses the ' +
        'Certificates and Services both charts make: federation stops. Add ingress.migration: {from: nginx-ingress-services, ' +
        'phase: side-by-side} and follow the steps (docs/ingress-charts.md, "Migrating to wire-ingress"); once phase old-removed is deployed, run ' +
        `\`${command('lock')}\`. If no nginx-ingress-services release serves this environment, run that command now.`,
    });
  }
  if (config.remotes.mode !== 'api') return problems;
  const configured = new Set(config.peers.map((p) => p.domain));
  const acknowledged = new Set(config.remotes.removedPeers);
  for (const peer of lock.peers) {
    if (configured.has(peer) || acknowledged.has(peer)) continue;
    problems.push({
      path: 'peers',
      message:
        `no longer lists ${peer}, which environment ${config.environment} federated with. brig keeps every remote it ` +
        'has stored (its API has no delete since 4.39.0), so removing the peer here does not stop federation with it. ' +
        'To de-federate, delete its rows from brig\'s database by hand (docs/remote-backends.md, "Removing a peer"), then add ' +
        `${JSON.stringify(peer)} to \`remotes.removedPeers\` to acknowledge it.`,
    });
  }
  return problems;
}
