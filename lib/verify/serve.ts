/**
 * `wire-federation verify --serve`: the checks of `verify` on a schedule, as a Prometheus
 * exporter (`/metrics` in the text format, `/healthz`). Each round runs the same checks as
 * {@link verifyFederation} (our DNS, our certificate, mutual TLS, and per peer its SRV record,
 * its certificate, whether it accepts us and the federation call), with the peers checked a few
 * at a time and the round bounded by a deadline, so that one slow peer cannot delay the others.
 *
 * Metrics (docs/monitoring.md): see {@link METRIC_NAMES}. A check that could not reach a verdict
 * (timeout, DNS server down, round deadline) is reported with status `error` and `check_ok` 0,
 * never as a pass. Plain Node and prom-client on its own registry: no cdktf.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PeerConfig } from '../config';
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS } from '../config/duration';
import { packageVersion } from '../monitoring/exporter-image';
import { validToDate } from '../pki/inspect';
import { PEER_CHECKS, VERIFY_CHECKS } from './checks';
import { FEDERATOR_REFUSAL_LABELS } from './federation-call-check';
import type { CheckResult, SkippedCheck, VerifyReport } from './report';
import { VerifyOptions, VerifyPart, assembleReport, leafOf, verifyOwnChecks, verifyPeerChecks } from './verify';
import type { MeshMatrix } from '../mesh/matrix';
import { measureMesh } from '../mesh/measure';
import { MESH_METRIC_NAMES, createMeshMetrics, recordMesh } from '../mesh/metrics';

/** The state of one check in a round. */
export type CheckState = 'pass' | 'warn' | 'fail' | 'error' | 'skipped';

/** Every state, in the order `wire_federation_check_status` lists them. */
export const CHECK_STATES: readonly CheckState[] = ['pass', 'warn', 'fail', 'error', 'skipped'];

/** Names of the exporter's own metrics (besides prom-client's `process_*` and `nodejs_*`). */
export const METRIC_NAMES = {
  info: 'wire_federation_exporter_info',
  checkOk: 'wire_federation_check_ok',
  checkStatus: 'wire_federation_check_status',
  certificateNotAfter: 'wire_federation_certificate_not_after_timestamp_seconds',
  certificateLastSeen: 'wire_federation_certificate_last_seen_timestamp_seconds',
  callRefusal: 'wire_federation_peer_call_refusal',
  peerLastSuccess: 'wire_federation_peer_last_success_timestamp_seconds',
  peerDeadlineMissed: 'wire_federation_peer_deadline_missed_total',
  credentialsReadOk: 'wire_federation_credentials_read_ok',
  credentialsReadErrors: 'wire_federation_credentials_read_errors_total',
  versionsOverlap: 'wire_federation_peer_api_versions_overlap',
  versionNegotiated: 'wire_federation_peer_api_version_negotiated',
  roundDuration: 'wire_federation_round_duration_seconds',
  lastRound: 'wire_federation_last_round_timestamp_seconds',
  lastSuccess: 'wire_federation_last_success_timestamp_seconds',
  rounds: 'wire_federation_rounds_total',
  deadlineExceeded: 'wire_federation_round_deadline_exceeded_total',
  roundErrors: 'wire_federation_round_errors_total',
  meshLinkMissing: MESH_METRIC_NAMES.linkMissing,
  meshPeerAnswer: MESH_METRIC_NAMES.peerAnswer,
  meshPeerLastAnswer: MESH_METRIC_NAMES.peerLastAnswer,
  meshLinks: MESH_METRIC_NAMES.links,
} as const;

/** Default `--listen`. 9464 is the port Prometheus' exporter list gives OpenTelemetry-style exporters; any free port works. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 9464 } as const;
/** Default `--interval`, in milliseconds. */
export const DEFAULT_INTERVAL_MS = 60_000;
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

export interface RunningExporter {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The exporter's own registry (not prom-client's global one; emptied by `stop`). /metrics adds {@link processMetricsRegistry}. */
  readonly registry: Registry;
  /** The last completed round. */
  readonly lastRound: RoundResult | undefined;
  /** Runs a round now, or joins the one that is running; resolves when its metrics are set. */
  runRound(): Promise<RoundResult>;
  /**
   * Stops the schedule, ends a running round at once (its unfinished checks are not recorded)
   * and closes the listener and the metrics of the registry: it does not wait for a round, so a
   * pod stops well within its termination grace period.
   */
  stop(): Promise<void>;
}

const PEER_ID = /^peer\[([^\]]+)\]\.(.+)$/;

/** The peer of a check id and the id without the peer prefix (`peer[b.example].srv` → b.example, srv). */
export function splitCheckId(id: string): { peer: string; check: string } {
  const m = PEER_ID.exec(id);
  return m ? { peer: m[1], check: m[2] } : { peer: '', check: id };
}

/** The state of a check result: `error` when it could not reach a verdict. */
export function checkState(check: CheckResult): CheckState {
  return check.inconclusive ? 'error' : check.status;
}

/** Ids that only `card check` reports (it knows what the partner's card promises). */
const CARD_ONLY_CHECKS: ReadonlySet<string> = new Set(['srv.target', 'srv.port', 'chain.depth', 'versions']);
/** Not a check of a part: `peers` is about the config as a whole. */
const RUN_CHECKS: ReadonlySet<string> = new Set(['peers']);

/** Checks of our backend reported as `error` when it misses the round deadline: every id of `VERIFY_CHECKS` (checks.ts). */
export const OWN_IDS: readonly string[] = Object.keys(VERIFY_CHECKS).filter((id) => !RUN_CHECKS.has(id));
/** Checks of a peer reported as `error` when it misses the round deadline: every id of `PEER_CHECKS` (checks.ts) that verify reports. */
export const PEER_IDS: readonly string[] = Object.keys(PEER_CHECKS).filter((id) => !CARD_ONLY_CHECKS.has(id));

const KNOWN_LABELS: ReadonlySet<string> = new Set(FEDERATOR_REFUSAL_LABELS);
/** Every value `refusal` can take besides the empty one. */
const REFUSAL_VALUES: readonly string[] = [...FEDERATOR_REFUSAL_LABELS, 'other'];

/**
 * The federator's label of a refused federation call, as the value of the `refusal` label: one of the federator's labels that
 * verify knows (`FEDERATOR_REFUSAL_LABELS` of federation-call-check.ts), `other` for anything else the peer sent (the
 * peer chooses the text: the label values stay bounded), empty without one.
 */
export function refusalLabel(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' && KNOWN_LABELS.has(value) ? value : 'other';
}

/**
 * How long /healthz accepts no completed round (and `WireFederationRoundsStalled` waits), in
 * milliseconds: three intervals and a round deadline.
 */
export function staleRoundBoundMs(intervalMs: number = DEFAULT_INTERVAL_MS, roundDeadlineMs: number = intervalMs): number {
  return 3 * intervalMs + roundDeadlineMs;
}

interface Metrics {
  readonly checkOk: Gauge<'check' | 'peer'>;
  readonly checkStatus: Gauge<'check' | 'peer' | 'status'>;
  readonly notAfter: Gauge<'subject' | 'peer'>;
  readonly lastSeen: Gauge<'subject' | 'peer'>;
  readonly refusal: Gauge<'peer' | 'refusal'>;
  readonly peerLastSuccess: Gauge<'peer'>;
  readonly peerDeadlineMissed: Counter<'peer'>;
  readonly credentialsReadOk: Gauge;
  readonly credentialsReadErrors: Counter;
  readonly overlap: Gauge<'peer'>;
  readonly negotiated: Gauge<'peer'>;
  readonly duration: Gauge;
  readonly lastRound: Gauge;
  readonly lastSuccess: Gauge;
  readonly rounds: Counter;
  readonly deadline: Counter;
  readonly errors: Counter;
}

function version(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

let processMetrics: Registry | undefined;

/**
 * prom-client's `process_*` and `nodejs_*` metrics, on a registry of their own made once per
 * process: `collectDefaultMetrics` starts observers (garbage collection, event loop delay) that
 * cannot be stopped, so an exporter started and stopped many times (a library user, the tests)
 * shares them instead of leaking a set per start.
 */
export function processMetricsRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** Registers the exporter's metrics on `registry` (prom-client's process metrics: {@link processMetricsRegistry}). */
export function createMetrics(registry: Registry, about: { environment: string; backendDomain: string; federatorDomain: string }): Metrics {
  const registers = [registry];
  const info = new Gauge({
    name: METRIC_NAMES.info,
    help: 'The exporter: package version and the environment it checks (always 1)',
    labelNames: ['version', 'environment', 'backend_domain', 'federator_domain'],
    registers,
  });
  info.set({ version: version(), environment: about.environment, backend_domain: about.backendDomain, federator_domain: about.federatorDomain }, 1);
  return {
    checkOk: new Gauge({
      name: METRIC_NAMES.checkOk,
      help: 'Result of a check of the last round: 1 passed (or a warning), 0 failed, could not run (error) or skipped (check_status says which); peer is empty for our own backend',
      labelNames: ['check', 'peer'],
      registers,
    }),
    checkStatus: new Gauge({
      name: METRIC_NAMES.checkStatus,
      help: 'State of a check of the last round: 1 for its status (pass, warn, fail, error = no verdict, e.g. a timeout, skipped = an earlier check failed), 0 for the others',
      labelNames: ['check', 'peer', 'status'],
      registers,
    }),
    notAfter: new Gauge({
      name: METRIC_NAMES.certificateNotAfter,
      help: 'Unix time when a certificate expires (its notAfter), as last seen: subject federator (ours, as our ingress serves it), ca (our CA that signed it), peer (the certificate a peer serves), peer_ca (the CA we trust that signed it); kept while the certificate cannot be read (see certificate_last_seen_timestamp_seconds)',
      labelNames: ['subject', 'peer'],
      registers,
    }),
    lastSeen: new Gauge({
      name: METRIC_NAMES.certificateLastSeen,
      help: 'Unix time of the round that last read the certificate of certificate_not_after_timestamp_seconds (older than a few intervals: the value is stale)',
      labelNames: ['subject', 'peer'],
      registers,
    }),
    refusal: new Gauge({
      name: METRIC_NAMES.callRefusal,
      help: 'The federator refusal label of a failing federation call to a peer (always 1, present while the call fails with one): one of the labels verify explains, other for anything else',
      labelNames: ['peer', 'refusal'],
      registers,
    }),
    peerLastSuccess: new Gauge({
      name: METRIC_NAMES.peerLastSuccess,
      help: 'Unix time when the last round ended in which every check of the peer passed (or warned); 0 before the first',
      labelNames: ['peer'],
      registers,
    }),
    peerDeadlineMissed: new Counter({
      name: METRIC_NAMES.peerDeadlineMissed,
      help: 'Rounds in which the peer had no verdict by the round deadline (always the same peers: the round is too short for all of them)',
      labelNames: ['peer'],
      registers,
    }),
    credentialsReadOk: new Gauge({
      name: METRIC_NAMES.credentialsReadOk,
      help: 'The certificate and key files (--ca, --client-cert, --client-key, --peer-ca) could be read before the last round: 1 yes, 0 no (the previous ones stay in use; the log says why)',
      registers,
    }),
    credentialsReadErrors: new Counter({
      name: METRIC_NAMES.credentialsReadErrors,
      help: 'Rounds before which the certificate and key files could not be read (the previous ones stayed in use)',
      registers,
    }),
    overlap: new Gauge({
      name: METRIC_NAMES.versionsOverlap,
      help: 'Number of federation API versions we share with a peer (0: no common version, federation refused), from the last federation call',
      labelNames: ['peer'],
      registers,
    }),
    negotiated: new Gauge({
      name: METRIC_NAMES.versionNegotiated,
      help: 'The federation API version our federator and a peer negotiate (the highest common one)',
      labelNames: ['peer'],
      registers,
    }),
    duration: new Gauge({ name: METRIC_NAMES.roundDuration, help: 'Duration of the last round of checks', registers }),
    lastRound: new Gauge({ name: METRIC_NAMES.lastRound, help: 'Unix time when the last round of checks ended', registers }),
    lastSuccess: new Gauge({ name: METRIC_NAMES.lastSuccess, help: 'Unix time when the last round ended in which no check failed or could not run', registers }),
    rounds: new Counter({ name: METRIC_NAMES.rounds, help: 'Rounds of checks completed', registers }),
    deadline: new Counter({ name: METRIC_NAMES.deadlineExceeded, help: 'Rounds in which a part (our backend or a peer) had no verdict by the round deadline', registers }),
    errors: new Counter({ name: METRIC_NAMES.roundErrors, help: 'Rounds that failed with an error of the exporter (its log says which); the next round runs as scheduled', registers }),
  };
}

const isoTimestamp = (iso: unknown): number | undefined => (typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? Date.parse(iso) / 1000 : undefined);

/**
 * Sets every per-check gauge from a round. Series are never dropped between rounds (the checks
 * and peers are the same every round): a certificate that cannot be read this round keeps its
 * last known expiry, and its `..._last_seen_timestamp_seconds` says how old that is.
 */
export function recordRound(metrics: Metrics, round: RoundResult, clientCertificate: VerifyOptions['clientCertificate']): void {
  const { report } = round;
  const now = round.startedAt;
  const end = now.getTime() / 1000 + round.durationSeconds;
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const peerOk = new Map<string, boolean>();
  for (const { id, state } of round.states) {
    const { peer, check } = splitCheckId(id);
    const good = state === 'pass' || state === 'warn';
    metrics.checkOk.set({ check, peer }, good ? 1 : 0);
    for (const s of CHECK_STATES) metrics.checkStatus.set({ check, peer, status: s }, s === state ? 1 : 0);
    if (peer !== '') peerOk.set(peer, (peerOk.get(peer) ?? true) && good);
    if (peer !== '' && check === 'federation.call') {
      // At most one refusal series per peer: the one of this round, or none.
      metrics.refusal.remove({ peer, refusal: '' });
      const refusal = state === 'fail' ? refusalLabel(byId.get(id)?.details?.label) : '';
      for (const known of REFUSAL_VALUES) if (known !== refusal) metrics.refusal.remove({ peer, refusal: known });
      if (refusal !== '') metrics.refusal.set({ peer, refusal }, 1);
    }
  }
  for (const [peer, ok] of peerOk) {
    if (ok) metrics.peerLastSuccess.set({ peer }, end);
    else metrics.peerLastSuccess.inc({ peer }, 0);
  }
  const notAfter = (subject: string, peer: string, seconds: number | undefined): void => {
    if (seconds === undefined) return;
    metrics.notAfter.set({ subject, peer }, seconds);
    metrics.lastSeen.set({ subject, peer }, end);
  };
  const served = isoTimestamp(byId.get('tls.expiry')?.details?.notAfter);
  const presented = clientCertificate ? validToDate(leafOf(clientCertificate.cert)).getTime() / 1000 : undefined;
  notAfter('federator', '', served ?? presented);
  notAfter('ca', '', isoTimestamp(byId.get('tls.chain')?.details?.caNotAfter));
  for (const c of report.checks) {
    const { peer, check } = splitCheckId(c.id);
    if (peer === '') continue;
    if (check === 'expiry') notAfter('peer', peer, isoTimestamp(c.details?.notAfter));
    if (check === 'chain') notAfter('peer_ca', peer, isoTimestamp(c.details?.caNotAfter));
    if (check === 'federation.call' && Array.isArray(c.details?.commonVersions)) {
      const common = c.details.commonVersions as number[];
      metrics.overlap.set({ peer }, common.length);
      if (common.length > 0) metrics.negotiated.set({ peer }, Math.max(...common));
    }
  }
  metrics.duration.set(round.durationSeconds);
  metrics.lastRound.set(end);
  metrics.rounds.inc();
  if (round.missedDeadline.length > 0) metrics.deadline.inc();
  // Every peer has its counter from the first round on (0 until it misses), so increase() sees the first miss.
  const late = new Set(round.missedDeadline);
  for (const peer of peerOk.keys()) metrics.peerDeadlineMissed.inc({ peer }, late.has(peer) ? 1 : 0);
  if (round.states.every((s) => s.state === 'pass' || s.state === 'warn')) metrics.lastSuccess.set(end);
}

/** Runs `tasks` with at most `limit` at a time; each result is undefined when the deadline passed first. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number, deadline: Promise<void>): Promise<(T | undefined)[]> {
  const results: (T | undefined)[] = new Array(tasks.length).fill(undefined);
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
  const meshRun = (options.mesh ?? true) && client && peers.length >= 2
    ? measureMesh({ config: options.config, clientCertificate: client, peerCas: options.peerCas, dnsServer: options.dnsServer, timeoutMs: options.timeoutMs, concurrency: options.concurrency, deadlineMs, signal: options.signal, now: startedAt })
    : undefined;
  let own: VerifyPart | undefined;
  let mesh: MeshMatrix | undefined;
  const peerParts: (VerifyPart | undefined)[] = new Array(peers.length).fill(undefined);
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
    ...report.skipped.map((s: SkippedCheck) => ({ id: s.id, state: (lateIds.has(s.id) ? 'error' : 'skipped') as CheckState })),
  ];
  const durationSeconds = Number(process.hrtime.bigint() - began) / 1e9;
  return { report, states, startedAt, durationSeconds, missedDeadline, ...(mesh ? { mesh } : {}) };
}

/**
 * Timeouts of the metrics server, in milliseconds: a connection that does not send its request
 * headers within `headersMs` (or the whole request within `requestMs`) gets a 408 and is closed,
 * an idle keep-alive connection after `keepAliveMs`, any connection without traffic after `idleMs`.
 */
export const HTTP_TIMEOUTS = { headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000, idleMs: 30_000 } as const;

const gzipAsync = promisify(gzip);

/** The client accepts gzip (`Accept-Encoding: gzip`, without `;q=0`). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}

/** Checks the options of {@link startExporter}. @throws Error naming the option, the value received and what is allowed */
export function checkExporterOptions(options: Pick<ExporterOptions, 'intervalMs' | 'roundDeadlineMs' | 'timeoutMs' | 'concurrency' | 'port'>): void {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined, min: number, what: string): void => {
    if (value !== undefined && !(Number.isFinite(value) && value >= min)) problems.push(`${name} must be ${what}; received ${String(value)}`);
  };
  positive('intervalMs', options.intervalMs, MIN_INTERVAL_MS, `at least ${MIN_INTERVAL_MS} (1 s between two rounds)`);
  if (options.intervalMs !== undefined && options.intervalMs > MAX_INTERVAL_MS) problems.push(`intervalMs must be at most ${MAX_INTERVAL_MS} (24 h); received ${options.intervalMs}`);
  positive('roundDeadlineMs', options.roundDeadlineMs, Number.MIN_VALUE, 'a number of milliseconds above 0');
  positive('timeoutMs', options.timeoutMs, Number.MIN_VALUE, 'a number of milliseconds above 0');
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency >= 1)) problems.push(`concurrency must be a whole number of at least 1; received ${String(options.concurrency)}`);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) problems.push(`port must be a whole number between 0 and 65535; received ${String(options.port)}`);
  if (problems.length > 0) throw new Error(`startExporter: ${problems.join('; ')}`);
}

/** Starts the exporter: listens, runs a first round right away and then one every interval. */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  checkExporterOptions(options);
  const registry = new Registry();
  const metrics = createMetrics(registry, options.config);
  const meshMetrics = createMeshMetrics(registry);
  metrics.credentialsReadOk.set(1);
  metrics.credentialsReadErrors.inc(0);
  const clock = options.clock ?? ((): Date => new Date());
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  let credentials: ExporterCredentials = { ca: options.ca, clientCertificate: options.clientCertificate, peerCas: options.peerCas };
  let lastRound: RoundResult | undefined;
  let running: Promise<RoundResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let startAt = 0;
  const abort = new AbortController();
  const startedAt = Date.now();
  const reportError = (e: unknown, during: 'credentials' | 'round'): void => {
    try {
      options.onError?.(e instanceof Error ? e : new Error(String(e)), during);
    } catch {
      // A failing error callback must not end the exporter either.
    }
  };

  const runRound = (): Promise<RoundResult> => {
    if (running) return running;
    if (options.reloadCredentials) {
      try {
        credentials = options.reloadCredentials();
        metrics.credentialsReadOk.set(1);
      } catch (e) {
        metrics.credentialsReadOk.set(0);
        metrics.credentialsReadErrors.inc();
        reportError(e, 'credentials');
      }
    }
    const round = (async (): Promise<RoundResult> => {
      const result = await runChecks({ ...options, ...credentials, now: clock(), signal: abort.signal, startAt });
      if (stopped) return result;
      startAt = nextStart(startAt, result.missedDeadline, options.config.peers);
      recordRound(metrics, result, credentials.clientCertificate);
      if (result.mesh) recordMesh(meshMetrics, result.mesh, result.startedAt.getTime() / 1000 + result.durationSeconds);
      lastRound = result;
      options.onRound?.(result);
      return result;
    })();
    running = round.finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = (): void => {
    if (stopped) return;
    const began = Date.now();
    runRound()
      .catch((e: unknown) => {
        metrics.errors.inc();
        reportError(e, 'round');
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(schedule, Math.max(0, intervalMs - (Date.now() - began)));
      });
  };

  const server = http.createServer({ headersTimeout: HTTP_TIMEOUTS.headersMs, requestTimeout: HTTP_TIMEOUTS.requestMs, keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs, connectionsCheckingInterval: 1000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      const served = Registry.merge([registry, processMetricsRegistry()]);
      const gzip = acceptsGzip(req.headers['accept-encoding']);
      served
        .metrics()
        .then(async (text) => {
          const headers = { 'Content-Type': served.contentType, Vary: 'Accept-Encoding' };
          const body = gzip ? await gzipAsync(text) : Buffer.from(text, 'utf8');
          res.writeHead(200, { ...headers, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}), 'Content-Length': String(body.length) }).end(body);
        })
        .catch((e: Error) => {
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${e.message}\n`);
          else res.destroy();
        });
    } else if (path === '/healthz') {
      // Healthy while rounds keep completing: a scheduler that hangs fails the liveness probe.
      const since = lastRound ? Date.now() - (lastRound.startedAt.getTime() + lastRound.durationSeconds * 1000) : Date.now() - startedAt;
      const ok = since <= staleRoundBoundMs(intervalMs, options.roundDeadlineMs ?? intervalMs);
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? (lastRound ? 'ok\n' : 'ok: first round running\n') : `no round completed for ${Math.round(since / 1000)} s\n`);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: see /metrics and /healthz\n');
    }
  });
  // A connection that stays open without a request (half-open, a slow client) is closed.
  server.setTimeout(HTTP_TIMEOUTS.idleMs, (socket) => socket.destroy());
  const listenHost = options.host ?? DEFAULT_LISTEN.host;
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      // An empty host: every address. Without a host Node listens on :: dual stack (IPv6 and
      // IPv4), or on 0.0.0.0 where the machine has no IPv6.
      if (listenHost === '') server.listen(options.port ?? DEFAULT_LISTEN.port, () => done());
      else server.listen(options.port ?? DEFAULT_LISTEN.port, listenHost, () => done());
    });
  } catch (e) {
    registry.clear();
    throw e;
  }
  const { port, address } = server.address() as AddressInfo;
  const host = listenHost === '' ? address : listenHost;
  schedule();

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    registry,
    get lastRound() {
      return lastRound;
    },
    runRound,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      // Ends the running round's wait at once: its checks stop being waited for, nothing is recorded.
      abort.abort();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      registry.clear();
    },
  };
}
