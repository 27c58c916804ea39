/**
 * The exporter's metrics, as the registry of checks declares them (`../checks`): registered on
 * prom-client, and set from a round (`check_ok` and `check_status` for every check, the samples
 * each check's result gives, the rounds). prom-client on its own registry: no cdktf.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { packageVersion } from '../../monitoring/exporter-image';
import { validToDate } from '../../core/x509';
import { METRICS, checkOf, splitCheckId } from '../checks';
import { CHECK_STATES, EXPORTER_METRICS } from '../checks/exporter';
import type { CheckResult, MetricDefinition, Sample } from '../checks/types';
import type { RoundResult } from './round';
import { VerifyOptions, leafOf } from '../verify';

/** The exporter's metrics on one prom-client registry. */
export interface Metrics {
  readonly checkOk: Gauge<'check' | 'peer'>;
  readonly checkStatus: Gauge<'check' | 'peer' | 'status'>;
  readonly peerLastSuccess: Gauge<'peer'>;
  readonly peerDeadlineMissed: Counter<'peer'>;
  readonly credentialsReadOk: Gauge;
  readonly credentialsReadErrors: Counter;
  readonly duration: Gauge;
  readonly lastRound: Gauge;
  readonly lastSuccess: Gauge;
  readonly rounds: Counter;
  readonly deadline: Counter;
  readonly errors: Counter;
  /** Every metric of the registry by name (the checks' samples go here). */
  readonly byName: ReadonlyMap<string, Gauge<string> | Counter<string>>;
  /** The series of `series: 'round'` metrics the last round set, by metric name (label key → labels). */
  readonly roundSeries: Map<string, Map<string, Readonly<Record<string, string>>>>;
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

/** Registers every metric of the registry of checks on `registry` (prom-client's process metrics: {@link processMetricsRegistry}). */
export function createMetrics(registry: Registry, about: { environment: string; backendDomain: string; federatorDomain: string }): Metrics {
  const registers = [registry];
  const byName = new Map<string, Gauge<string> | Counter<string>>();
  for (const m of METRICS) {
    const config = { name: m.name, help: m.help, labelNames: [...m.labels], registers };
    byName.set(m.name, m.type === 'counter' ? new Counter(config) : new Gauge(config));
  }
  const gauge = <L extends string>(m: MetricDefinition<L>): Gauge<L> => byName.get(m.name) as Gauge<L>;
  const counter = <L extends string>(m: MetricDefinition<L>): Counter<L> => byName.get(m.name) as Counter<L>;
  const e = EXPORTER_METRICS;
  gauge(e.info).set({ version: version(), environment: about.environment, backend_domain: about.backendDomain, federator_domain: about.federatorDomain }, 1);
  return {
    checkOk: gauge(e.checkOk),
    checkStatus: gauge(e.checkStatus),
    peerLastSuccess: gauge(e.peerLastSuccess),
    peerDeadlineMissed: counter(e.peerDeadlineMissed),
    credentialsReadOk: gauge(e.credentialsReadOk),
    credentialsReadErrors: counter(e.credentialsReadErrors),
    duration: gauge(e.roundDuration),
    lastRound: gauge(e.lastRound),
    lastSuccess: gauge(e.lastSuccess),
    rounds: counter(e.rounds),
    deadline: counter(e.deadlineExceeded),
    errors: counter(e.roundErrors),
    byName,
    roundSeries: new Map(),
  };
}

const labelKey = (metric: MetricDefinition, labels: Readonly<Record<string, string>>): string => JSON.stringify(metric.labels.map((l) => labels[l] ?? ''));

/** Sets the samples of a round; a `series: 'round'` metric loses the series this round did not set. */
function setSamples(metrics: Metrics, samples: readonly Sample[]): void {
  const current = new Map<string, Map<string, Readonly<Record<string, string>>>>();
  for (const s of samples) {
    const metric = metrics.byName.get(s.metric.name);
    if (metric instanceof Counter) metric.inc(s.labels, s.value);
    else metric?.set(s.labels, s.value);
    if (s.metric.series === 'round') {
      const series = current.get(s.metric.name) ?? new Map<string, Readonly<Record<string, string>>>();
      series.set(labelKey(s.metric, s.labels), s.labels);
      current.set(s.metric.name, series);
    }
  }
  for (const m of METRICS) {
    if (m.series !== 'round') continue;
    const now = current.get(m.name) ?? new Map<string, Readonly<Record<string, string>>>();
    for (const [key, labels] of metrics.roundSeries.get(m.name) ?? []) if (!now.has(key)) metrics.byName.get(m.name)?.remove(labels);
    metrics.roundSeries.set(m.name, now);
  }
}

/**
 * Sets every metric from a round. Series are never dropped between rounds (the checks and peers
 * are the same every round) unless their metric says `series: 'round'`: a certificate that cannot
 * be read this round keeps its last known expiry, and its `..._last_seen_timestamp_seconds` says
 * how old that is.
 */
export function recordRound(metrics: Metrics, round: RoundResult, clientCertificate: VerifyOptions['clientCertificate']): void {
  const { report } = round;
  const end = round.startedAt.getTime() / 1000 + round.durationSeconds;
  const results = new Map(report.checks.map((c) => [c.id, c]));
  const presentedNotAfter = clientCertificate ? validToDate(leafOf(clientCertificate.cert)).getTime() / 1000 : undefined;
  const peerOk = new Map<string, boolean>();
  const samples: Sample[] = [];
  for (const { id, state } of round.states) {
    const { peer, check } = splitCheckId(id);
    const good = state === 'pass' || state === 'warn';
    metrics.checkOk.set({ check, peer }, good ? 1 : 0);
    for (const s of CHECK_STATES) metrics.checkStatus.set({ check, peer, status: s }, s === state ? 1 : 0);
    if (peer !== '') peerOk.set(peer, (peerOk.get(peer) ?? true) && good);
    // The registry says which details a check's result carries: the one place that trusts it.
    const samplesOf = checkOf(id)?.samples;
    if (samplesOf) samples.push(...samplesOf({ state, result: results.get(id) as CheckResult<never> | undefined, peer, end, presentedNotAfter }));
  }
  // What the round's extras found (e.g. the federation mesh, lib/mesh; its metrics: ../checks/mesh.ts).
  samples.push(...(round.extraSamples ?? []));
  setSamples(metrics, samples);
  for (const [peer, ok] of peerOk) {
    if (ok) metrics.peerLastSuccess.set({ peer }, end);
    else metrics.peerLastSuccess.inc({ peer }, 0);
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
