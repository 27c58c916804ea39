/**
 * A round of the exporter: the checks of `verify` (our backend and every configured peer, the
 * peers a few at a time), bounded by a deadline so that one slow peer cannot delay the others.
 * A check that could not reach a verdict (timeout, DNS server down, round deadline) gets the
 * state `error`, never a pass. Plain Node: no cdktf.
 */
import type { PeerConfig } from '../../config';
import { OWN_IDS, PEER_IDS } from '../checks';
import { isCallingCheck } from '../checks/calling';
import { callingTargets } from '../calling-checks';
import { DEFAULT_INTERVAL_MS } from '../checks/exporter';
import type { CheckResult, CheckState, Sample } from '../checks/types';
import type { SkippedCheck, VerifyReport } from '../report';
import { VerifyOptions, VerifyPart, assembleReport, verifyOwnChecks, verifyPeerChecks } from '../verify';
import { boundedPool } from '../../core/pool';

/** Default number of peers checked at the same time. */
export const DEFAULT_CONCURRENCY = 16;

/** The certificates and keys of a round; read again before every round (Kubernetes updates mounted secrets in place). */
export type ExporterCredentials = Pick<VerifyOptions, 'ca' | 'clientCertificate' | 'peerCas' | 'coturnCertificate'>;

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
   * What else each round measures beside the checks, within the same round deadline, e.g. the
   * federation mesh (`meshRoundExtra()` of lib/mesh; `verify --serve` adds it). @default - none
   */
  readonly extras?: readonly RoundExtra[];
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
  /** What the round's extras found, by their names (none without a result, e.g. late for the deadline). */
  readonly extras?: Readonly<Record<string, unknown>>;
  /** The samples the extras' results give to the registry's metrics. */
  readonly extraSamples?: readonly Sample[];
}

/** What a round's extra gets: the round's options (with the credentials of the round), its deadline and signal. */
export interface RoundExtraContext {
  readonly options: ExporterOptions;
  readonly deadlineMs: number;
  /** Ends at the round's deadline (or when the exporter stops). */
  readonly signal: AbortSignal;
  readonly now: Date;
}

/**
 * A measurement beside the checks in every round (the exporter does not know what: lib/mesh
 * provides the federation mesh): it runs with the round's deadline, and its result gives samples
 * to metrics the registry of checks declares.
 */
export interface RoundExtra<R = unknown> {
  readonly name: string;
  /** Resolves undefined when it has nothing to measure (e.g. no client certificate). Never rejects. */
  run(context: RoundExtraContext): Promise<R | undefined>;
  /** The samples of a result (`endSeconds`: when the round ended, Unix time). */
  samples(result: R, endSeconds: number): readonly Sample[];
}

/** The state of a check result: `error` when it could not reach a verdict. */
export function checkState(check: CheckResult): CheckState {
  return check.inconclusive ? 'error' : check.status;
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
export async function runChecks(
  options: ExporterOptions & { readonly now: Date; readonly signal?: AbortSignal; readonly startAt?: number },
): Promise<RoundResult> {
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
  const peerRuns = boundedPool(
    order.map((i) => () => verifyPeerChecks(peers[i], verifyOptions)),
    options.concurrency ?? DEFAULT_CONCURRENCY,
    deadline,
  );
  // The extras beside the checks, bounded by the same deadline: they get a signal that ends with it.
  const extrasStop = new AbortController();
  void deadline.then(() => extrasStop.abort());
  const extras = options.extras ?? [];
  const extrasRun = Promise.all(extras.map((x) => x.run({ options, deadlineMs, signal: extrasStop.signal, now: startedAt }).catch(() => undefined)));
  let own: VerifyPart | undefined;
  let extraResults: unknown[] = [];
  const peerParts: (VerifyPart | undefined)[] = Array.from({ length: peers.length }, () => undefined);
  try {
    const [ownResult, rotated, extraResult] = await Promise.all([ownRun, peerRuns, extrasRun]);
    own = ownResult;
    extraResults = extraResult;
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
  // The calling checks count only where verify runs them: calling on, the peer's coturn known.
  const calling = callingTargets(options.config);
  const runs = (id: string, domain?: string): boolean =>
    !isCallingCheck(id) || (calling !== undefined && (domain === undefined || calling.peers.some((p) => p.domain === domain)));
  const parts = peerParts.map(
    (p, i) =>
      p ??
      late(
        PEER_IDS.filter((c) => runs(c, peers[i].domain)).map((c) => `peer[${peers[i].domain}].${c}`),
        peers[i].domain,
      ),
  );
  const ownPart =
    own ??
    late(
      OWN_IDS.filter((id) => runs(id)),
      options.config.backendDomain,
    );
  const report = assembleReport(options.config, ownPart, parts, verifyOptions.peers ?? false);
  const states = [
    ...report.checks.map((c) => ({ id: c.id, state: checkState(c) })),
    ...report.skipped.map((s: SkippedCheck): RoundResult['states'][number] => ({ id: s.id, state: lateIds.has(s.id) ? 'error' : 'skipped' })),
  ];
  const durationSeconds = Number(process.hrtime.bigint() - began) / 1e9;
  const end = startedAt.getTime() / 1000 + durationSeconds;
  const found = extras.flatMap((x, i) => (extraResults[i] === undefined ? [] : [{ extra: x, result: extraResults[i] }]));
  if (found.length === 0) return { report, states, startedAt, durationSeconds, missedDeadline };
  return {
    report,
    states,
    startedAt,
    durationSeconds,
    missedDeadline,
    extras: Object.fromEntries(found.map(({ extra, result }) => [extra.name, result])),
    extraSamples: found.flatMap(({ extra, result }) => extra.samples(result, end)),
  };
}
