/**
 * The remote backends brig should know, derived from the config's peers, in the JSON shape of
 * brig's internal API (`/i/federation/remotes`, docs/chart-facts.md, section 6).
 */
import type { SearchPolicy, WireFederationConfig } from '../config';
import { compareStrings } from '../order';

/** Which of our teams may talk to a remote: brig's `restriction` field. */
export type RemoteRestriction =
  | { readonly tag: 'allow_all'; readonly value: null }
  | { readonly tag: 'restrict_by_team'; readonly value: readonly string[] };

/** One remote backend as brig's internal API reads and writes it (all three fields required). */
export interface RemoteConfig {
  readonly domain: string;
  readonly search_policy: SearchPolicy;
  readonly restriction: RemoteRestriction;
}

/**
 * The brig remote configs for `config.peers`, sorted by domain. A peer with `restrictToTeams`
 * becomes `restrict_by_team` with its team ids lowercased (brig answers UUIDs in lowercase),
 * deduplicated and sorted; any other peer becomes `allow_all`. The result depends only on the
 * peers' contents, not on their order.
 *
 * @throws Error when two peers name the same domain: brig keeps one config per domain.
 */
export function desiredRemotes(config: Pick<WireFederationConfig, 'peers'>): RemoteConfig[] {
  const seen = new Set<string>();
  for (const peer of config.peers) {
    if (seen.has(peer.domain)) {
      throw new Error(
        `peer ${peer.domain} is listed more than once in peers: brig keeps one config per remote domain; merge the entries into one`,
      );
    }
    seen.add(peer.domain);
  }
  return config.peers
    .map((peer): RemoteConfig => ({
      domain: peer.domain,
      search_policy: peer.searchPolicy,
      restriction: restrictionOf(peer.restrictToTeams),
    }))
    .sort((a, b) => compareStrings(a.domain, b.domain));
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
