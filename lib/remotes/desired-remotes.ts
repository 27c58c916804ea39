/**
 * The remote backends brig should know, derived from the config's peers, in the JSON shape of
 * brig's internal API (`/i/federation/remotes`, docs/chart-facts.md, section 6).
 */
import type { SearchPolicy, WireFederationConfig } from '../config';
import { compareStrings } from '../order';

/**
 * brig's `restriction` field of a remote: `allow_all` (every user of the remote may find ours, as
 * far as the search policy allows) or `restrict_by_team` with team ids OF THE REMOTE: only users
 * of those teams of the remote may find users of this backend and send them connection requests.
 */
export type RemoteRestriction = { readonly tag: 'allow_all'; readonly value: null } | { readonly tag: 'restrict_by_team'; readonly value: readonly string[] };

/** One remote backend as brig's internal API reads and writes it (all three fields required). */
export interface RemoteConfig {
  readonly domain: string;
  readonly search_policy: SearchPolicy;
  readonly restriction: RemoteRestriction;
}

/**
 * The brig remote configs for `config.peers`, sorted by domain. A peer with `allowedTeams` (the
 * peer's teams whose users may find ours) becomes `restrict_by_team` with its team ids lowercased (brig answers UUIDs in lowercase),
 * deduplicated and sorted; any other peer becomes `allow_all`. The result depends only on the
 * peers' contents, not on their order.
 *
 * @throws Error when two peers name the same domain: brig keeps one config per domain.
 */
export function desiredRemotes(config: Pick<WireFederationConfig, 'peers'>): RemoteConfig[] {
  const seen = new Set<string>();
  for (const peer of config.peers) {
    if (seen.has(peer.domain)) {
      throw new Error(`peer ${peer.domain} is listed more than once in peers: brig keeps one config per remote domain; merge the entries into one`);
    }
    seen.add(peer.domain);
  }
  return config.peers
    .map((peer): RemoteConfig => ({
      domain: peer.domain,
      search_policy: peer.searchPolicy,
      restriction: restrictionOf(peer.allowedTeams),
    }))
    .sort((a, b) => compareStrings(a.domain, b.domain));
}

/**
 * A remote's restriction in words, e.g. `restrict_by_team: only users of teams [t1, t2] of
 * peer.example may find ours` (the sync Job, adopt and verify say it the same way).
 */
export function describeRestriction(domain: string, restriction: RemoteRestriction): string {
  if (restriction.tag === 'allow_all') return `allow_all: all users of ${domain} may find ours (as its search policy allows)`;
  return `restrict_by_team: only users of teams [${normalizedTeamIds(restriction.value).join(', ')}] of ${domain} may find ours`;
}

/** `restrict_by_team` with normalized team ids, or `allow_all` when no teams are given. */
export function restrictionOf(teams: readonly string[] | undefined): RemoteRestriction {
  if (teams === undefined || teams.length === 0) return { tag: 'allow_all', value: null };
  return { tag: 'restrict_by_team', value: normalizedTeamIds(teams) };
}

/** Team ids lowercased, deduplicated and sorted: one spelling for one list. */
export function normalizedTeamIds(teams: readonly string[]): string[] {
  return [...new Set(teams.map((t) => t.toLowerCase()))].sort(compareStrings);
}
