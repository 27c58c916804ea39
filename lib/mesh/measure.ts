/**
 * One round of the mesh: every configured peer is asked about all the others (as galley asks
 * before it creates a conversation), a few peers at a time, the round bounded by a deadline.
 * With n peers: n calls, n·(n−1) peer links, plus the 2·n links with us.
 */
import type { WireFederationConfig } from '../config';
import { boundedPool } from '../core/pool';
import type { DnsLookupOptions } from '../verify/dns-lookup';
import { ClientCertificate, PemSource, peerTrust } from '../verify/verify';
import { MeshFixOptions, MeshMatrix, buildMeshMatrix } from './matrix';
import { PeerMeshAnswer, queryPeerMesh } from './query';

/** Default number of peers asked at the same time. */
export const DEFAULT_MESH_CONCURRENCY = 16;

export interface MeasureMeshOptions {
  readonly config: WireFederationConfig;
  /** Our federator certificate and key (the peers' federators accept nothing else). */
  readonly clientCertificate: ClientCertificate;
  /** CA(s) per peer domain, for peers whose CA is another environment's Terraform output. */
  readonly peerCas?: ReadonlyMap<string, PemSource>;
  /** `ip[:port]` of the DNS server; undefined = the system's. */
  readonly dnsServer?: string;
  /** Per peer: DNS lookups and the call. */
  readonly timeoutMs: number;
  /** Peers asked at the same time. @default 16 */
  readonly concurrency?: number;
  /** The whole round: peers without an answer by then are "unknown". @default - no deadline but the per-peer timeouts */
  readonly deadlineMs?: number;
  /** Ends the round at once (its unanswered peers are "unknown"). */
  readonly signal?: AbortSignal;
  /** "Now". @default the current time */
  readonly now?: Date;
  /** How the fixes name commands. */
  readonly fix?: MeshFixOptions;
}

/** Asks every configured peer and builds the matrix. Never throws for what it finds. */
export async function measureMesh(options: MeasureMeshOptions): Promise<MeshMatrix> {
  const { config } = options;
  const now = options.now ?? new Date();
  const peers = config.peers.map((p) => p.domain);
  const dns: DnsLookupOptions = { server: options.dnsServer, timeoutMs: options.timeoutMs };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<void>((done) => {
    if (options.deadlineMs !== undefined) timer = setTimeout(done, options.deadlineMs);
    if (options.signal?.aborted) done();
    onAbort = (): void => done();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const tasks = config.peers.map(
    (peer) => (): Promise<PeerMeshAnswer> =>
      queryPeerMesh(
        peer.domain,
        peers.filter((d) => d !== peer.domain),
        {
          originDomain: config.backendDomain,
          clientCertificate: options.clientCertificate,
          trust: peerTrust(peer, { config, peerCas: options.peerCas }).pems,
          dns,
          timeoutMs: options.timeoutMs,
        },
      ),
  );
  let answers: (PeerMeshAnswer | undefined)[];
  try {
    answers = await boundedPool(tasks, options.concurrency ?? DEFAULT_MESH_CONCURRENCY, stop);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
  return buildMeshMatrix({
    environment: config.environment,
    backendDomain: config.backendDomain,
    peers,
    answers,
    measuredAt: now,
    deadlineMs: options.deadlineMs,
    fix: options.fix,
  });
}
