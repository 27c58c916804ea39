/**
 * The federation mesh in the exporter (`wire-federation verify --serve`): an extra of each round
 * (`RoundExtra` of lib/verify/serve/round.ts) that asks every peer which of our other peers it
 * does not federate with, within the round's deadline, and gives its metrics (declared in the
 * registry, lib/verify/checks/mesh.ts) their samples.
 */
import type { RoundExtra } from '../verify/serve/round';
import type { MeshMatrix } from './matrix';
import { measureMesh } from './measure';
import { meshSamples } from './metrics';

/** The name of the mesh's result in `RoundResult.extras`. */
export const MESH_EXTRA = 'mesh';

/**
 * The mesh as a round extra: asked when the round checks peers, has our client certificate and
 * at least two peers (else nothing).
 */
export function meshRoundExtra(): RoundExtra<MeshMatrix> {
  return {
    name: MESH_EXTRA,
    run: async ({ options, deadlineMs, signal, now }) => {
      const client = options.clientCertificate;
      if (options.peers === false || !client || options.config.peers.length < 2) return undefined;
      return measureMesh({
        config: options.config,
        clientCertificate: client,
        peerCas: options.peerCas,
        dnsServer: options.dnsServer,
        timeoutMs: options.timeoutMs,
        concurrency: options.concurrency,
        deadlineMs,
        signal,
        now,
      });
    },
    samples: meshSamples,
  };
}

/** The mesh of a round (`RoundResult.extras`), when it was asked. */
export function meshOfRound(round: { readonly extras?: Readonly<Record<string, unknown>> } | undefined): MeshMatrix | undefined {
  return round?.extras?.[MESH_EXTRA] as MeshMatrix | undefined;
}
