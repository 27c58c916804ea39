/**
 * THE registry of verify checks: every check `wire-federation verify`, `card check` and
 * `check-pairs --live` report, declared once, in one file per group (`./own-dns.ts`, `./peer.ts`,
 * …) with its id, level, description and fix, the typed details of its result, the metrics it
 * feeds and its alert rules. Driven from here: the ids verify's `pass`/`fail`/`warn` accept
 * ({@link VerifyCheckId}), the checks verify skips after a failed step, the ids the exporter
 * expects in a round, the exporter's metrics and samples, the alert file
 * (`lib/monitoring/alert-rules.ts`) and docs/reference/checks.md.
 *
 * Adding a check: declare it in its group's file (or a new file with `defineGroup`, plus a line
 * in {@link CHECK_GROUPS}); docs/development.md ("Adding a verify check") shows the whole change.
 */
import { EXPORTER_METRICS, exporterAlerts, ourSideBrokenExpr, DEFAULT_INTERVAL_MS } from './exporter';
import { OWN_CALLING_CHECKS, PEER_CALLING_CHECKS } from './calling';
import { LIVE_CHECKS } from './live';
import { MESH_GROUP } from './mesh';
import { OWN_DNS_CHECKS } from './own-dns';
import { OWN_TLS_CHECKS } from './own-tls';
import { PEER_CHECK_GROUP } from './peer';
import { RUN_CHECKS } from './run';
import { AlertContext, CheckResult, CheckScope, MetricDefinition, VerifyAlertRule, VerifyCheck, groupedIdsPattern } from './types';

/**
 * Every group of checks. The checks reference lists the checks of our backend and of the run in
 * this order, then those of a peer, then the live check; the alert file lists the groups' alert
 * rules in this order (the per-peer alerts first), then the exporter's own.
 */
export const CHECK_GROUPS = [
  PEER_CHECK_GROUP,
  PEER_CALLING_CHECKS,
  OWN_DNS_CHECKS,
  OWN_TLS_CHECKS,
  OWN_CALLING_CHECKS,
  RUN_CHECKS,
  LIVE_CHECKS,
  MESH_GROUP,
] as const;

type Group = (typeof CHECK_GROUPS)[number];
type IdsIn<G, S extends CheckScope> = G extends { readonly scope: S; readonly checks: readonly (infer C)[] }
  ? C extends { readonly id: infer I extends string }
    ? I
    : never
  : never;
type MetricKeysOf<G> = G extends { readonly metrics?: infer M } ? (M extends object ? keyof M & string : never) : never;

/** A check of our backend (`dns.srv`), or about the run (`peers`). */
export type OwnCheckId = IdsIn<Group, 'own' | 'run'>;
/** A check of each peer, without the `peer[<domain>].` prefix (`federation.call`). */
export type PeerCheckName = IdsIn<Group, 'peer'>;
/** A check id of our backend, of a peer, or of a live pair call: what a check result's id can be. */
export type VerifyCheckId = OwnCheckId | `peer[${string}].${PeerCheckName}` | `live[${string}]`;

/** The id of a peer's check. */
export const peerCheckId = (domain: string, check: PeerCheckName): VerifyCheckId => `peer[${domain}].${check}`;

/** What one verify check means (as the checks reference shows it). */
export type VerifyCheckDescription = Pick<VerifyCheck, 'description' | 'fix'>;

/** The checks of a scope, in registry order. */
export function checksOf(scope: CheckScope): readonly VerifyCheck<string, never>[] {
  return CHECK_GROUPS.flatMap((g): readonly VerifyCheck<string, never>[] => (g.scope === scope ? g.checks : []));
}

const byId = <Id extends string>(scopes: readonly CheckScope[]): { readonly [K in Id]: VerifyCheck<K, never> } =>
  Object.fromEntries(scopes.flatMap((s) => checksOf(s)).map((c) => [c.id, c])) as { readonly [K in Id]: VerifyCheck<K, never> };

/** Checks of our own backend (and `peers`, about the run), by id. */
export const VERIFY_CHECKS = byId<OwnCheckId>(['own', 'run']);
/** Checks of each peer, reported as `peer[<domain>].<check>`, by check name. */
export const PEER_CHECKS = byId<PeerCheckName>(['peer']);
/** The check `check-pairs --live` reports per direction, as `live[<caller>→<callee>]`. */
export const LIVE_CHECK: VerifyCheck<string, never> = LIVE_CHECKS.checks[0];

/** How a check's id appears in reports, with placeholders: `peer[<domain>].srv`, `live[<caller>→<callee>]`. */
export function reportedId(scope: CheckScope, id: string): string {
  return scope === 'peer' ? `peer[<domain>].${id}` : scope === 'live' ? 'live[<caller>→<callee>]' : id;
}

/** Every check as the checks reference lists it: ours and the run's, a peer's, then the live check. */
export function documentedChecks(): Array<{ readonly reportedId: string; readonly check: VerifyCheck<string, never> }> {
  return (['own', 'run', 'peer', 'live'] as const).flatMap((scope) => checksOf(scope).map((check) => ({ reportedId: reportedId(scope, check.id), check })));
}

/** Checks of our backend a round expects (reported as `error` when it misses the round deadline). */
export const OWN_IDS: readonly OwnCheckId[] = checksOf('own').map((c) => c.id as OwnCheckId);
/** Checks of a peer a round expects: every peer check but those only `card check` reports. */
export const PEER_IDS: readonly PeerCheckName[] = checksOf('peer')
  .filter((c) => !c.cardOnly)
  .map((c) => c.id as PeerCheckName);

/**
 * The checks of a scope that cannot run without `step` (their `needs`), in registry order, for
 * verify to report as skipped: no `address` skips every check of the TLS connection, no
 * `certificate` those of the certificate, no `connection` those that need a TLS server. Checks
 * only `card check` reports are left out (it reports them itself).
 */
export function checksNeeding(scope: 'own' | 'peer', step: 'address' | 'certificate' | 'connection'): readonly string[] {
  return checksOf(scope)
    .filter((c) => !c.cardOnly && c.needs !== undefined && (step === 'address' || c.needs === step))
    .map((c) => c.id);
}

const PEER_ID = /^peer\[([^\]]+)\]\.(.+)$/;

/** The peer of a check id and the id without the peer prefix (`peer[b.example].srv` → b.example, srv). */
export function splitCheckId(id: string): { peer: string; check: string } {
  const m = PEER_ID.exec(id);
  return m ? { peer: m[1], check: m[2] } : { peer: '', check: id };
}

/**
 * The details of `result`, typed as `check` declares them; undefined when `result` is not a
 * result of `check` (another id) or has none.
 */
export function detailsOf<D extends object>(check: VerifyCheck<string, D>, result: CheckResult | undefined): D | undefined {
  return result && splitCheckId(result.id).check === check.id ? (result as CheckResult<D>).details : undefined;
}

const OWN_BY_ID: ReadonlyMap<string, VerifyCheck<string, never>> = new Map([...checksOf('own'), ...checksOf('run')].map((c) => [c.id, c]));
const PEER_BY_ID: ReadonlyMap<string, VerifyCheck<string, never>> = new Map(checksOf('peer').map((c) => [c.id, c]));

/** The registry entry of a reported check id (`tls.expiry`, `peer[b.example].expiry`); undefined for a live id. */
export function checkOf(id: string): VerifyCheck<string, never> | undefined {
  const { peer, check } = splitCheckId(id);
  return (peer === '' ? OWN_BY_ID : PEER_BY_ID).get(check);
}

/** Every metric of the exporter: its own, then those the groups' checks feed (each once). */
export const METRICS: readonly MetricDefinition[] = [
  ...new Set<MetricDefinition>([
    ...Object.values(EXPORTER_METRICS),
    ...CHECK_GROUPS.flatMap((g): MetricDefinition[] => ('metrics' in g && g.metrics ? Object.values<MetricDefinition>(g.metrics) : [])),
  ]),
];

/** Names of the exporter's metrics (besides prom-client's `process_*` and `nodejs_*`), by key. */
export const METRIC_NAMES = Object.fromEntries(
  [...Object.entries(EXPORTER_METRICS), ...CHECK_GROUPS.flatMap((g) => ('metrics' in g && g.metrics ? Object.entries<MetricDefinition>(g.metrics) : []))].map(
    ([key, m]) => [key, m.name],
  ),
) as { readonly [K in keyof typeof EXPORTER_METRICS | MetricKeysOf<Group>]: string };

/** Options of the alert rules. */
export interface AlertRuleOptions {
  /**
   * The `job` label of the exporter's scrape target (with the ServiceMonitor of the stack: the
   * name of its Service). @default wire-federation-exporter
   */
  readonly job?: string;
  /** How long a peer's federation call must fail before it alerts. @default 10m */
  readonly peerFailingFor?: string;
  /** Days before expiry for the warning. @default 21 */
  readonly expiryWarningDays?: number;
  /** Days before expiry for the critical alert. @default 7 */
  readonly expiryCriticalDays?: number;
  /** How long a check may be without a verdict (timeouts, DNS down) before it alerts. @default 30m */
  readonly cannotRunFor?: string;
  /**
   * How long a link between two of our peers may be missing (one does not list the other)
   * before it alerts: long enough for a partner's two deploys. @default 30m
   */
  readonly meshLinkMissingFor?: string;
  /**
   * The exporter's interval between two rounds, in milliseconds (`monitoring.interval`): the
   * rounds alerts wait as long as /healthz does (three intervals and a round deadline).
   * @default 60000
   */
  readonly intervalMs?: number;
}

/** Default `job` label of the exporter's scrape target. */
export const EXPORTER_JOB = 'wire-federation-exporter';

/** The options with their defaults, and the expressions of our side from the checks' `ourSide`. */
export function alertContext(options: AlertRuleOptions = {}): AlertContext {
  const ours = (side: 'dns' | 'certificate'): string =>
    groupedIdsPattern(
      checksOf('own')
        .filter((c) => c.ourSide === side)
        .map((c) => c.id),
    );
  return {
    job: options.job ?? EXPORTER_JOB,
    peerFailingFor: options.peerFailingFor ?? '10m',
    expiryWarningDays: options.expiryWarningDays ?? 21,
    expiryCriticalDays: options.expiryCriticalDays ?? 7,
    cannotRunFor: options.cannotRunFor ?? '30m',
    meshLinkMissingFor: options.meshLinkMissingFor ?? '30m',
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    ourDnsChecks: ours('dns'),
    ourCertificateChecks: ours('certificate'),
  };
}

/**
 * Every alert rule: those of the groups in registry order, then the exporter's. A rule that holds
 * back while our side is broken gets `unless on() (<our DNS or certificate broken>)`.
 */
export function registryAlertRules(options: AlertRuleOptions = {}): VerifyAlertRule[] {
  const context = alertContext(options);
  const rules = [...CHECK_GROUPS.flatMap((g) => ('alerts' in g && g.alerts ? g.alerts(context) : [])), ...exporterAlerts(context)];
  return rules.map((r) => (r.whenOurSideBroken === 'hold back' ? { ...r, expr: `${r.expr} unless on() ${ourSideBrokenExpr(context)}` } : r));
}
