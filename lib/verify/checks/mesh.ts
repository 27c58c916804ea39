/**
 * The federation mesh in the registry (lib/mesh): no check of its own (its links are not checks
 * of one part: they are asked each round beside the checks, `../serve/round.ts`), but the metrics
 * the exporter publishes about it and the alert rule on them. Bounded cardinality: label values
 * are the domains of configured peers (answers are validated against the domains asked about)
 * and the fixed answer kinds of `MESH_ANSWERS`.
 */
import { missingLinkFix } from '../hints';
import { defineGroup, defineMetric } from './types';

/** The mesh metrics, by their keys in `METRIC_NAMES`. */
export const MESH_METRICS = {
  meshLinkMissing: defineMetric({
    name: 'wire_federation_mesh_link_missing',
    help: 'A link between two of our peers from the last round in which from answered the mesh query (get-not-fully-connected-backends): 1 while from does not federate with to (users of both cannot share a conversation), 0 while it does',
    type: 'gauge',
    labels: ['from', 'to'],
  }),
  meshPeerAnswer: defineMetric({
    name: 'wire_federation_mesh_peer_answer',
    help: 'How a peer answered the mesh query in the last round: 1 for its answer kind (answered, no-endpoint, refused, unreachable, untrusted, malformed), 0 for the others; anything but answered leaves its links unknown',
    type: 'gauge',
    labels: ['peer', 'answer'],
  }),
  meshPeerLastAnswer: defineMetric({
    name: 'wire_federation_mesh_peer_last_answer_timestamp_seconds',
    help: 'Unix time of the last round in which the peer answered the mesh query (no series before its first answer)',
    type: 'gauge',
    labels: ['peer'],
  }),
  meshLinks: defineMetric({
    name: 'wire_federation_mesh_links',
    help: 'Links of the last mesh round (ours and between peers) by state: connected, missing, unknown',
    type: 'gauge',
    labels: ['state'],
  }),
} as const;

const FROM = '{{ $labels.from }}';
const TO = '{{ $labels.to }}';

export const MESH_GROUP = defineGroup({
  scope: 'run',
  checks: [],
  metrics: MESH_METRICS,
  // Fed by the mesh of each round (lib/mesh/exporter.ts meshRoundExtra), not by a check.
  fedByRoundExtra: 'mesh',
  alerts: (o) => [
    {
      alert: 'WireFederationMeshLinkMissing',
      // One series per directed link between two configured peers.
      expr: `max by (from, to) (${MESH_METRICS.meshLinkMissing.name}) == 1`,
      for: o.meshLinkMissingFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `${FROM} does not federate with ${TO}: users of ${FROM} and ${TO} cannot be in one conversation (non-federating-backends). Fix: ${missingLinkFix(FROM, TO)}`,
        description: `Both are peers of ours. Asked by our exporter (get-not-fully-connected-backends), ${FROM}'s brig has said for ${o.meshLinkMissingFor} that it does not count ${TO} among its remotes; Wire puts users of several backends into one conversation only when all of them federate with each other, so conversations of our users with users of both fail. Run \`wire-federation mesh\` with our federator certificate for the whole matrix.`,
      },
    },
  ],
});
