/**
 * A round of the exporter: the checks of `verify` (our backend and every configured peer, the
 * peers a few at a time), bounded by a deadline so that one slow peer cannot delay the others.
 * A check that could not reach a verdict (timeout, DNS server down, round deadline) gets the
 * state `error`, never a pass. Plain Node: no cdktf.
 */
import type { PeerConfig } from '../../config';
import { OWN_IDS, PEER_IDS } from '../checks';
import { DEFAULT_INTERVAL_MS } from '../checks/exporter';
import type { CheckResult, CheckState } from '../checks/types';
import type { SkippedCheck, VerifyReport } from '../report';
import { VerifyOptions, VerifyPart, assembleReport, verifyOwnChecks, verifyPeerChecks } from '../verify';
import type { MeshMatrix } from '../../mesh/matrix';
import { measureMesh } from '../../mesh/measure';

/** Default number of peers checked at the same time. */
export const DEFAULT_CONCURRENCY = 16;

/** The certificates and keys of a round; read again before every round (Kubernetes updates mounted secrets in place). */
export type ExporterCredentials = Pick<VerifyOptions, 'ca' | 'clientCertificate' | 'peerCas'>;

export interface ExporterOptions extends Omit<VerifyOptions, 'now' | 'peers'> {
  /** Also check every configured peer. @default true */
  readonly peers?: boolean;
  /** Time between the starts of two rounds, in milliseconds. @default 60000 */
  readonly intervalMs?: number;
  /**
   * A round's deadline, in milliseconds: checks without a verdict by then are reported as
   * `error`. @default - the interval
   */
  readonly roundDeadlineMs?: number;
  /** Peers checked at the same time. @default 16 */
  readonly concurrency?: number;
  /**
   * Also ask every peer, each round, which of our other peers it does not federate with (the
   * mesh, lib/mesh), within the same round deadline; needs the peers, our client certificate
   * and at least two peers. @default true
   */
  readonly mesh?: boolean;
  /** Address to listen on (empty: every address, IPv6 and IPv4). @default 127.0.0.1 */
  readonly host?: string;
  /** Port to listen on (0: any free port). @default 9464 */
  readonly port?: number;
  /**
   * Reads the certificates again before each round (e.g. from mounted files). A throw keeps the
   * previous ones and is passed to `onError`. @default - the ones given stay
   */
  readonly reloadCredentials?: () => ExporterCredentials;
  /** Called after each round (e.g. to log a summary line). @default - nothing */
  readonly onRound?: (round: RoundResult) => void;
  /** Called when reading the credentials fails, or when a round fails (it is counted in `wire_federation_round_errors_total`; the next round runs as scheduled). @default - nothing */
  readonly onError?: (error: Error, during: 'credentials' | 'round') => void;
  /** "Now". @default the current time */
  readonly clock?: () => Date;
}

/** What one round found. */
export interface RoundResult {
  readonly report: VerifyReport;
  /** Every check of the round and its state (skipped checks and missed deadlines included). */
  readonly states: readonly { readonly id: string; readonly state: CheckState }[];
  readonly startedAt: Date;
  readonly durationSeconds: number;
  /** Parts (our backend, a peer) that had no verdict by the deadline. */
  readonly missedDeadline: readonly string[];
  /** The mesh of this round, when it was asked (see {@link ExporterOptions.mesh}). */
  readonly mesh?: MeshMatrix;
}

/** The state of a check result: `error` when it could not reach a verdict. */
export function checkState(check: CheckResult): CheckState {
  return check.inconclusive ? 'error' : check.status;
}


/** Runs `tasks` with at most `limit` at a time; each result is undefined when the deadline passed first. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number, deadline: Promise<void>): Promise<(T | undefined)[]> {
  const results: (T | undefined)[] = Array.from({ length: tasks.length }, () => undefined);
  let next = 0;
  let expired = false;
  void deadline.then(() => (expired = true));
  const worker = async (): Promise<void> => {
    while (!expired && next < tasks.length) {
      const i = next++;
      const outcome = await Promise.race([tasks[i]().then((r) => ({ r })), deadline.then(() => undefined)]);
      if (outcome) results[i] = outcome.r;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/** Indexes 0..n-1 starting at `start` (mod n). */
function rotation(n: number, start: number): number[] {
  const first = n > 0 ? ((Math.trunc(start) % n) + n) % n : 0;
  return Array.from({ length: n }, (_, k) => (first + k) % n);
}

/**
 * Where the next round starts in the config's list of peers: at the first peer that had no
 * verdict by the deadline (the next round checks it first), otherwise one further than this
 * round. Peers late in the list are then not always the ones the deadline cuts off.
 */
export function nextStart(startAt: number, missedDeadline: readonly string[], peers: readonly Pick<PeerConfig, 'domain'>[]): number {
  if (peers.length === 0) return 0;
  const order = rotation(peers.length, startAt);
  const late = new Set(missedDeadline);
  return order.find((i) => late.has(peers[i].domain)) ?? (order[0] + 1) % peers.length;
}

/** One round of checks: our backend and every peer, bounded by the deadline. Never throws for what it finds. */
export async function runChecks(options: ExporterOptions & { readonly now: Date; readonly signal?: AbortSignal; readonly startAt?: number }): Promise<RoundResult> {
  const startedAt = options.now;
  const began = process.hrtime.bigint();
  const verifyOptions: VerifyOptions = { ...options, peers: options.peers ?? true, now: startedAt };
  const peers: readonly PeerConfig[] = verifyOptions.peers ? options.config.peers : [];
  let timer: NodeJS.Timeout | undefined;
  const deadlineMs = options.roundDeadlineMs ?? options.intervalMs ?? DEFAULT_INTERVAL_MS;
  // The listener on the caller's (long-lived) signal is removed when the round ends: one left
  // behind per round keeps every round's results alive (a heap leak over months of rounds).
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<void>((done) => {
    timer = setTimeout(done, deadlineMs);
    if (options.signal?.aborted) done();
    onAbort = (): void => done();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  // Our backend runs beside the peers, not in their pool.
  const ownRun = Promise.race([verifyOwnChecks(verifyOptions), deadline.then(() => undefined)]);
  // The peers in the order of this round (rotated: see `nextStart`); results go back to config order.
  const order = rotation(peers.length, options.startAt ?? 0);
  const peerRuns = pool(order.map((i) => () => verifyPeerChecks(peers[i], verifyOptions)), options.concurrency ?? DEFAULT_CONCURRENCY, deadline);
  // The mesh beside the checks, bounded by the same deadline (its peers without an answer by then are unknown).
  const client = options.clientCertificate;
  const meshRun =
    (options.mesh ?? true) && client && peers.length >= 2
      ? measureMesh({ config: options.config, clientCertificate: client, peerCas: options.peerCas, dnsServer: options.dnsServer, timeoutMs: options.timeoutMs, concurrency: options.concurrency, deadlineMs, signal: options.signal, now: startedAt })
      : undefined;
  let own: VerifyPart | undefined;
  let mesh: MeshMatrix | undefined;
  const peerParts: (VerifyPart | undefined)[] = Array.from({ length: peers.length }, () => undefined);
  try {
    const [ownResult, rotated, meshResult] = await Promise.all([ownRun, peerRuns, meshRun]);
    own = ownResult;
    mesh = meshResult;
    rotated.forEach((part, k) => (peerParts[order[k]] = part));
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
  const missedDeadline: string[] = [];
  const lateIds = new Set<string>();
  const late = (ids: readonly string[], part: string): VerifyPart => {
    missedDeadline.push(part);
    for (const id of ids) lateIds.add(id);
    const reason = `no verdict within the round deadline of ${deadlineMs} ms`;
    return { checks: [], skipped: ids.map((id) => ({ id, reason })) };
  };
  const parts = peerParts.map((p, i) => p ?? late(PEER_IDS.map((c) => `peer[${peers[i].domain}].${c}`), peers[i].domain));
  const ownPart = own ?? late(OWN_IDS, options.config.backendDomain);
  const report = assembleReport(options.config, ownPart, parts, verifyOptions.peers ?? false);
  const states = [
    ...report.checks.map((c) => ({ id: c.id, state: checkState(c) })),
    ...report.skipped.map((s: SkippedCheck): RoundResult['states'][number] => ({ id: s.id, state: lateIds.has(s.id) ? 'error' : 'skipped' })),
  ];
  const durationSeconds = Number(process.hrtime.bigint() - began) / 1e9;
  return { report, states, startedAt, durationSeconds, missedDeadline, ...(mesh ? { mesh } : {}) };
}

