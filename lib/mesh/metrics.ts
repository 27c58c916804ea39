/**
 * The mesh in the exporter's metrics (`wire-federation verify --serve`): the samples one round's
 * matrix gives to the metrics the registry declares (`lib/verify/checks/mesh.ts`).
 *
 * - `wire_federation_mesh_link_missing{from,to}`: one series per directed link between two of
 *   our peers (n·(n−1)): 1 while `from` does not federate with `to`, 0 while it does. A round in
 *   which `from` did not answer leaves the series at its last value (the answer kind says why);
 *   links with us are the verify checks' (`federation.call`, `peer_call_refusal`).
 * - `wire_federation_mesh_peer_answer{peer,answer}`: 1 for the kind of the peer's last answer.
 * - `wire_federation_mesh_peer_last_answer_timestamp_seconds{peer}`: when the peer last answered (no series before).
 * - `wire_federation_mesh_links{state}`: the links of the last round by state (with us included).
 */
import { MESH_METRICS } from '../verify/checks/mesh';
import { Sample, sample } from '../verify/checks/types';
import { MESH_ANSWERS, MeshAnswerKind } from './protocol';
import { LinkState, MeshMatrix, countLinks } from './matrix';

/** Names of the mesh metrics. */
export const MESH_METRIC_NAMES = {
  linkMissing: MESH_METRICS.meshLinkMissing.name,
  peerAnswer: MESH_METRICS.meshPeerAnswer.name,
  peerLastAnswer: MESH_METRICS.meshPeerLastAnswer.name,
  links: MESH_METRICS.meshLinks.name,
} as const;

const KINDS = Object.keys(MESH_ANSWERS) as MeshAnswerKind[];
const STATES: readonly LinkState[] = ['connected', 'missing', 'unknown'];

/**
 * The samples of one round of the mesh (`endSeconds`: when the round ended, Unix time). The
 * metrics keep a series' last value when a round gives none.
 */
export function meshSamples(matrix: MeshMatrix, endSeconds: number): Sample[] {
  const m = MESH_METRICS;
  const samples: Sample[] = [];
  const peers = new Set(matrix.backends.slice(1));
  const answers = new Map(matrix.answers.map((a) => [a.peer, a]));
  for (const peer of peers) {
    // No answer by the round deadline: reported as unreachable.
    const kind: MeshAnswerKind = answers.get(peer)?.kind ?? 'unreachable';
    for (const k of KINDS) samples.push(sample(m.meshPeerAnswer, { peer, answer: k }, k === kind ? 1 : 0));
    if (kind === 'answered') samples.push(sample(m.meshPeerLastAnswer, { peer }, endSeconds));
  }
  for (const link of matrix.links) {
    if (!peers.has(link.from) || !peers.has(link.to) || link.state === 'unknown') continue;
    samples.push(sample(m.meshLinkMissing, { from: link.from, to: link.to }, link.state === 'missing' ? 1 : 0));
  }
  const counts = countLinks(matrix.links);
  for (const s of STATES) samples.push(sample(m.meshLinks, { state: s }, counts[s]));
  return samples;
}
