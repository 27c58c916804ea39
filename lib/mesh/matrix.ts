/**
 * The federation mesh as a matrix of directed links. A link `A → B` means "A federates with B":
 * B is one of A's remotes (brig's federation domain configs), so A's federator accepts B and
 * A's brig counts B as connected. Wire needs both directions between every two backends of a
 * conversation (galley's `non-federating-backends`, see ./protocol.ts). Pure: no network.
 *
 * Where each link comes from:
 * - us → peer: our config lists the peer (the config is what `cdktf deploy` makes brig's remotes);
 * - peer → us: the peer's federator accepted our mesh query (it lists us), or refused it with
 *   `federation-denied` (it does not);
 * - peer → other peer: the peer's brig answered the mesh query.
 * A peer that did not answer (old release, refusal, unreachable, untrusted, malformed answer)
 * leaves its links "unknown": never "connected".
 */
import { DEFAULT_CLI } from '../config/command-hint';
import { missingLinkFix } from '../verify/hints';
import type { CommandHint } from '../config/command-hint';
import type { MeshAnswerKind } from './protocol';

export { missingLinkFix };
import type { PeerMeshAnswer } from './query';

/** The state of one directed link. */
export type LinkState = 'connected' | 'missing' | 'unknown';

/** One directed link. */
export interface MeshLink {
  /** The backend that must list `to` among its remotes. */
  readonly from: string;
  readonly to: string;
  readonly state: LinkState;
  /** How we know: our config, or the peer's answer. */
  readonly source: 'config' | 'answer';
  /** One line: why this state. */
  readonly reason: string;
  /** With `missing`: who must add whom, and the command that does it. */
  readonly fix?: string;
}

/** The mesh of one environment: our backend and its configured peers. */
export interface MeshMatrix {
  readonly environment: string;
  /** Our backend domain (first in `backends`). */
  readonly backendDomain: string;
  /** Every backend: ours first, then the peers in config order. */
  readonly backends: readonly string[];
  /** Every directed link between two different backends, row by row (`from` in the order of `backends`). */
  readonly links: readonly MeshLink[];
  /** Each peer's answer, in config order. */
  readonly answers: readonly PeerMeshAnswer[];
  /** When the round started (ISO 8601). */
  readonly measuredAt: string;
  /** Peers that had no answer by the round's deadline (their links are unknown). */
  readonly missedDeadline: readonly string[];
}

/** Counts of links by state. */
export function countLinks(links: readonly MeshLink[]): Record<LinkState, number> {
  const counts: Record<LinkState, number> = { connected: 0, missing: 0, unknown: 0 };
  for (const l of links) counts[l.state]++;
  return counts;
}

/** How the fixes name commands. */
export interface MeshFixOptions {
  /** Commands for our environment (card export). @default `npx wire-federation <command> <environment>` */
  readonly command?: CommandHint;
  /** The CLI as partners start it. @default 'npx wire-federation' */
  readonly cli?: string;
}

const UNKNOWN_REASON: Readonly<Record<Exclude<MeshAnswerKind, 'answered'>, string>> = {
  'no-endpoint': 'does not implement get-not-fully-connected-backends',
  refused: 'refused our query',
  unreachable: 'could not be asked',
  untrusted: 'answered over a certificate we do not trust',
  malformed: "answered something that is not brig's answer",
};

/** Builds the matrix from our config's peers and their answers (`answers[i]` undefined: no answer by the deadline). */
export function buildMeshMatrix(input: {
  readonly environment: string;
  readonly backendDomain: string;
  readonly peers: readonly string[];
  readonly answers: readonly (PeerMeshAnswer | undefined)[];
  readonly measuredAt: Date;
  readonly deadlineMs?: number;
  readonly fix?: MeshFixOptions;
}): MeshMatrix {
  const us = input.backendDomain;
  const backends = [us, ...input.peers];
  const byPeer = new Map<string, PeerMeshAnswer | undefined>(input.peers.map((p, i) => [p, input.answers[i]]));
  const exportCommand = input.fix?.command ? input.fix.command('card export') : `${input.fix?.cli ?? DEFAULT_CLI} card export ${input.environment}`;
  const fix = (from: string, to: string): string => missingLinkFix(from, to, { domain: us, exportCommand }, input.fix?.cli);
  const missedDeadline = input.peers.filter((p) => byPeer.get(p) === undefined);
  const links: MeshLink[] = [];
  for (const from of backends) {
    for (const to of backends) {
      if (from === to) continue;
      if (from === us) {
        links.push({ from, to, state: 'connected', source: 'config', reason: `${to} is one of our configured peers` });
        continue;
      }
      const answer = byPeer.get(from);
      if (!answer) {
        links.push({
          from,
          to,
          state: 'unknown',
          source: 'answer',
          reason: `${from} did not answer within the round deadline${input.deadlineMs ? ` of ${input.deadlineMs} ms` : ''}`,
        });
        continue;
      }
      if (to === us) {
        if (answer.acceptsUs === true) links.push({ from, to, state: 'connected', source: 'answer', reason: `${from}'s federator accepted our call` });
        else if (answer.acceptsUs === false)
          links.push({ from, to, state: 'missing', source: 'answer', reason: `${from}'s federator refused us: federation-denied`, fix: fix(from, to) });
        else
          links.push({
            from,
            to,
            state: 'unknown',
            source: 'answer',
            reason: `${from} ${UNKNOWN_REASON[answer.kind as Exclude<MeshAnswerKind, 'answered'>] ?? 'did not answer'}`,
          });
        continue;
      }
      if (answer.kind !== 'answered') {
        links.push({ from, to, state: 'unknown', source: 'answer', reason: `${from} ${UNKNOWN_REASON[answer.kind]}` });
        continue;
      }
      const missing = answer.notConnected?.includes(to) ?? false;
      links.push(
        missing
          ? { from, to, state: 'missing', source: 'answer', reason: `${from}'s brig says it does not federate with ${to}`, fix: fix(from, to) }
          : answer.asked.includes(to)
            ? { from, to, state: 'connected', source: 'answer', reason: `${from}'s brig counts ${to} as connected` }
            : { from, to, state: 'unknown', source: 'answer', reason: `${from} was not asked about ${to}` },
      );
    }
  }
  return {
    environment: input.environment,
    backendDomain: us,
    backends,
    links,
    answers: input.answers.filter((a): a is PeerMeshAnswer => a !== undefined),
    measuredAt: input.measuredAt.toISOString(),
    missedDeadline,
  };
}
