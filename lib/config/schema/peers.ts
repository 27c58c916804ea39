/** `peers` and `teams`: the backends this one federates with, and our own teams. */
import { z } from 'zod';
import { caSourceSchema } from './ca-source';
import { domain, nonEmpty } from './fields';

export const searchPolicySchema = z.enum(['no_search', 'exact_handle_search', 'full_search'], {
  error: 'must be one of no_search, exact_handle_search, full_search',
});

/** What `peers[].allowedTeams` means, in the schema's description and the docs' words. */
export const ALLOWED_TEAMS_DESCRIPTION =
  "Teams of this peer whose users may find ours (brig restrict_by_team): the PEER's team ids, not ours; needs remotes.mode api";

const teamIds = (description: string) =>
  z
    .array(z.uuid({ error: 'must be a team id (UUID)' }), { error: 'must be a list of team ids' })
    .min(1, { error: 'must list at least one team id of the peer; leave it out to allow all users of the peer' })
    .optional()
    .describe(description);

/** A team of this backend, declared so that peers of this repository can check the teams they allow. */
export const teamSchema = z.strictObject({
  /** A name for people (messages name it). */
  name: nonEmpty('team name'),
  /** The team id (UUID) as brig knows it. */
  id: z.uuid({ error: 'must be a team id (UUID)' }),
});

export const peerSchema = z.strictObject({
  /** The peer's backend domain. */
  domain: domain('peer backend domain'),
  /** How users of the peer may search users here. */
  searchPolicy: searchPolicySchema.default('no_search'),
  /**
   * CA certificates that sign the peer's federator certificate (several while the peer rotates
   * its CA). Empty only when the system CA store is trusted and the peer uses a public CA.
   */
  caCertificates: z.array(caSourceSchema, { error: 'must be a list of CA sources' }).default([]),
  /**
   * Accept a CA of the public trust store (a web CA such as ISRG Root X1) in `caCertificates`.
   * Refused by default: every peer's CA goes into the ONE trust bundle the ingress checks client
   * certificates against, so a public root would let in anyone holding a client certificate it
   * issued. Federation trust is private; set this only when the partner's federator certificate
   * really comes from that public CA and you accept that risk.
   * @default false
   */
  acceptPublicCa: z.boolean({ error: 'must be true or false' }).optional(),
  /**
   * Teams OF THIS PEER whose users may find ours: brig's `restrict_by_team` for the remote
   * (`POST /i/federation/remotes/{domain}/teams`), an allowlist of the peer's team ids. Only
   * users of these teams of the peer can find users of this backend in search and send them
   * connection requests; users of the peer's other teams cannot. List the peer's team ids
   * (ask its operator; with a peer of this repository, the ids its `teams` declares), never
   * your own. Needs `remotes.mode: api`.
   * @default - all users of the peer (`allow_all`)
   */
  allowedTeams: teamIds(ALLOWED_TEAMS_DESCRIPTION),
  /**
   * @deprecated Renamed to `allowedTeams` (same brig setting, same meaning: teams OF THIS PEER
   * whose users may find ours). Older docs of this project wrongly said "our teams". Accepted
   * with a warning until the next minor version.
   */
  restrictToTeams: teamIds(`Deprecated name of allowedTeams: ${ALLOWED_TEAMS_DESCRIPTION}`),
});
