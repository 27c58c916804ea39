/**
 * The mesh in the exporter's metrics (`wire-federation verify --serve`). Bounded cardinality:
 * label values are the domains of the configured peers (never what a peer answered: answers are
 * validated against the domains asked about) and the fixed answer kinds of `MESH_ANSWERS`.
 *
 * - `wire_federation_mesh_link_missing{from,to}`: one series per directed link between two of
 *   our peers (n·(n−1)): 1 while `from` does not federate with `to`, 0 while it does. A round in
 *   which `from` did not answer leaves the series at its last value (the answer kind says why);
 *   links with us are the verify checks' (`federation.call`, `peer_call_refusal`).
 * - `wire_federation_mesh_peer_answer{peer,answer}`: 1 for the kind of the peer's last answer.
 * - `wire_federation_mesh_peer_last_answer_timestamp_seconds{peer}`: when the peer last answered.
 * - `wire_federation_mesh_links{state}`: the links of the last round by state (with us included).
 */
import { Gauge, Registry } from 'prom-client';
import { MESH_ANSWERS, MeshAnswerKind } from './protocol';
import { LinkState, MeshMatrix, countLinks } from './matrix';

/** Names of the mesh metrics. */
export const MESH_METRIC_NAMES = {
  linkMissing: 'wire_federation_mesh_link_missing',
  peerAnswer: 'wire_federation_mesh_peer_answer',
  peerLastAnswer: 'wire_federation_mesh_peer_last_answer_timestamp_seconds',
  links: 'wire_federation_mesh_links',
} as const;

/** Their help texts (also the metrics table of docs/monitoring.md). */
export const MESH_METRIC_HELP: Readonly<Record<keyof typeof MESH_METRIC_NAMES, string>> = {
  linkMissing: 'A link between two of our peers from the last round in which `from` answered the mesh query (get-not-fully-connected-backends): 1 while from does not federate with to (users of both cannot share a conversation), 0 while it does',
  peerAnswer: 'How a peer answered the mesh query in the last round: 1 for its answer kind (answered, no-endpoint, refused, unreachable, untrusted, malformed), 0 for the others; anything but answered leaves its links unknown',
  peerLastAnswer: 'Unix time of the last round in which the peer answered the mesh query; 0 before the first',
  links: 'Links of the last mesh round (ours and between peers) by state: connected, missing, unknown',
};

const KINDS = Object.keys(MESH_ANSWERS) as MeshAnswerKind[];
const STATES: readonly LinkState[] = ['connected', 'missing', 'unknown'];

/** The mesh metrics on a registry. */
export interface MeshMetrics {
  readonly linkMissing: Gauge<'from' | 'to'>;
  readonly peerAnswer: Gauge<'peer' | 'answer'>;
  readonly peerLastAnswer: Gauge<'peer'>;
  readonly links: Gauge<'state'>;
}

/** Registers the mesh metrics on `registry`. */
export function createMeshMetrics(registry: Registry): MeshMetrics {
  const registers = [registry];
  const n = MESH_METRIC_NAMES;
  const h = MESH_METRIC_HELP;
  return {
    linkMissing: new Gauge({ name: n.linkMissing, help: h.linkMissing, labelNames: ['from', 'to'], registers }),
    peerAnswer: new Gauge({ name: n.peerAnswer, help: h.peerAnswer, labelNames: ['peer', 'answer'], registers }),
    peerLastAnswer: new Gauge({ name: n.peerLastAnswer, help: h.peerLastAnswer, labelNames: ['peer'], registers }),
    links: new Gauge({ name: n.links, help: h.links, labelNames: ['state'], registers }),
  };
}

/** Records one round of the mesh (`endSeconds`: when the round ended, Unix time). */
export function recordMesh(metrics: MeshMetrics, matrix: MeshMatrix, endSeconds: number): void {
  const peers = new Set(matrix.backends.slice(1));
  const answers = new Map(matrix.answers.map((a) => [a.peer, a]));
  for (const peer of peers) {
    const answer = answers.get(peer);
    // No answer by the round deadline: reported as unreachable.
    const kind: MeshAnswerKind = answer?.kind ?? 'unreachable';
    for (const k of KINDS) metrics.peerAnswer.set({ peer, answer: k }, k === kind ? 1 : 0);
    if (kind === 'answered') metrics.peerLastAnswer.set({ peer }, endSeconds);
    else metrics.peerLastAnswer.inc({ peer }, 0);
  }
  for (const link of matrix.links) {
    if (!peers.has(link.from) || !peers.has(link.to)) continue;
    if (link.state === 'missing') metrics.linkMissing.set({ from: link.from, to: link.to }, 1);
    else if (link.state === 'connected') metrics.linkMissing.set({ from: link.from, to: link.to }, 0);
  }
  const counts = countLinks(matrix.links);
  for (const s of STATES) metrics.links.set({ state: s }, counts[s]);
}
