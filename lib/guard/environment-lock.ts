/**
 * The committed lock of an environment: what must not change silently. Pure functions; the file
 * handling lives in `lock-file.ts`.
 */
import type { ConfigProblem } from '../config/errors';
import type { WireFederationConfig } from '../config/parse';

/** Contents of the lock file of an environment (`<locks dir>/<environment>.json`, see `lock-file.ts`). */
export interface EnvironmentLock {
  readonly environment: string;
  /** The backend domain the environment was deployed with. It can never change. */
  readonly backendDomain: string;
  /** Every peer domain ever configured (brig cannot forget a remote), sorted. */
  readonly peers: readonly string[];
}

/** The lock that records `config`, keeping peers of `previous` (a remote is never forgotten). */
export function lockFor(config: WireFederationConfig, previous?: EnvironmentLock): EnvironmentLock {
  const peers = new Set([...(previous?.peers ?? []), ...config.peers.map((p) => p.domain)]);
  return { environment: config.environment, backendDomain: config.backendDomain, peers: [...peers].sort() };
}

export interface LockProblemsOptions {
  /**
   * Where the lock is kept, named in the messages (e.g. the lock file's path relative to the
   * working directory).
   * @default - `the lock file of environment <environment>`
   */
  readonly lockFile?: string;
}

/**
 * What in `config` contradicts its lock: a changed backend domain, or (with `remotes.mode: api`,
 * where peers live in brig's database) a peer that disappeared without being listed in
 * `remotes.removedPeers`. In `config` mode a removed peer leaves brig's list with the values.
 */
export function lockProblems(config: WireFederationConfig, lock: EnvironmentLock, options: LockProblemsOptions = {}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const lockFile = options.lockFile ?? `the lock file of environment ${config.environment}`;
  if (lock.backendDomain !== config.backendDomain) {
    problems.push({
      path: 'backendDomain',
      message:
        `is ${JSON.stringify(config.backendDomain)}, but environment ${config.environment} is locked to ${JSON.stringify(lock.backendDomain)} ` +
        `(${lockFile}). The backend domain is part of every user's identity and ` +
        'cannot change once users exist: clients may crash or lose data. Set it back. If this environment has no users yet ' +
        `and you mean to start over, run \`wire-federation lock ${config.environment} --reset-domain\`, review the lock change ` +
        'in your pull request, and remove the pin from the state (`terraform state rm` of the BackendDomainPin resource) before deploying.',
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
        'To de-federate, delete its rows from brig\'s database by hand (README, "Removing a peer"), then add ' +
        `${JSON.stringify(peer)} to \`remotes.removedPeers\` to acknowledge it.`,
    });
  }
  return problems;
}
