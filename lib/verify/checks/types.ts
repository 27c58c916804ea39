/**
 * The shape of the registry of verify checks (`./index.ts`): what one check declares (its id,
 * level, description and fix as in every catalogue, the typed details of its result, the
 * metrics it feeds) and what a group of checks declares (where its checks run, the metrics
 * its checks feed, its alert rules). Pure data and functions: no network, no cdktf, no
 * prom-client.
 */
import type { CatalogueEntry } from '../../core/catalogue';

/** Outcome of one check. Warnings do not fail the run. */
export type CheckStatus = 'pass' | 'fail' | 'warn';

/**
 * One check: a stable id (e.g. `dns.srv.weight`), what was found and, on a problem, what to do.
 * `D` is the type of its details: the registry entry of the check names it (see {@link detailsOf}).
 */
export interface CheckResult<D extends object = object> {
  readonly id: string;
  readonly status: CheckStatus;
  /** What was found, with the values seen. */
  readonly message: string;
  /** What to do about a failure or warning. */
  readonly hint?: string;
  /** Machine-readable facts of the check (JSON report, metrics), e.g. the versions a peer answered. */
  readonly details?: D;
  /**
   * The check could not reach a verdict: a timeout, a DNS server that does not answer. Its
   * status stays `fail` (or `warn`) for the exit code; monitoring reports it as an error, never
   * as a pass (`verify --serve`). @default false
   */
  readonly inconclusive?: boolean;
}

/** The state of one check in a round of the exporter. */
export type CheckState = 'pass' | 'warn' | 'fail' | 'error' | 'skipped';

/**
 * Where a check runs: on our backend (`own`, id as declared), about the run as a whole (`run`,
 * e.g. `peers`), on each peer (`peer`, reported as `peer[<domain>].<id>`), or on a federation
 * call between two environments of `check-pairs --live` (`live`, reported as
 * `live[<caller>→<callee>]`).
 */
export type CheckScope = 'own' | 'run' | 'peer' | 'live';

/** One metric of the exporter (prom-client registers it; docs/monitoring.md lists it). */
export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labels: readonly L[];
  /**
   * `kept`: a series keeps its last value when a round gives none (e.g. a certificate that
   * cannot be read this round). `round`: a series exists only while the last round gave it
   * (e.g. the refusal of a failing call). @default kept
   */
  readonly series?: 'kept' | 'round';
}

/** Declares a metric, keeping its label names as a type. */
export function defineMetric<const L extends string = never>(metric: MetricDefinition<L>): MetricDefinition<L> {
  return metric;
}

/** One value a check result gives to a metric (set as a gauge's value). */
export interface Sample {
  readonly metric: MetricDefinition;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A sample of `metric` (its labels checked against the metric's label names). */
export function sample<L extends string>(metric: MetricDefinition<L>, labels: Readonly<Record<L, string>>, value: number): Sample {
  return { metric, labels, value };
}

/** What a check's {@link VerifyCheck.samples} reads: its state and result in a round. */
export interface SampleInput<D extends object> {
  readonly state: CheckState;
  /** The result, when the check ran (undefined when it was skipped or missed the round deadline). */
  readonly result?: CheckResult<D>;
  /** The peer's domain; empty for our backend. */
  readonly peer: string;
  /** Unix time (seconds) when the round ended. */
  readonly end: number;
  /** Unix time (seconds) when the client certificate the exporter presents expires, when it has one. */
  readonly presentedNotAfter?: number;
}

/** One check: an id, what it means (a {@link CatalogueEntry}), and what its result feeds. */
export interface VerifyCheck<Id extends string = string, D extends object = object> extends CatalogueEntry {
  /** The id (for peer checks without the `peer[<domain>].` prefix). */
  readonly id: Id;
  readonly fix: string;
  /**
   * What the check needs from the TLS connection to the federator: an `address` to connect to,
   * the `certificate` the handshake gave, or a `connection` that reached a TLS server. verify
   * reports it as skipped (with the reason) when an earlier step failed. @default - none
   */
  readonly needs?: 'address' | 'certificate' | 'connection';
  /**
   * Reported only with what a partner's card promises (`card check`): verify and the exporter
   * do not run it. @default false
   */
  readonly cardOnly?: boolean;
  /**
   * A failure of ours that makes every peer refuse us (our DNS records, our certificate): the
   * alerts on our side name it, and the per-peer alerts hold back while it fails. @default - none
   */
  readonly ourSide?: 'dns' | 'certificate';
  /**
   * The samples its state and result give to the metrics it feeds (declared in its group's
   * `metrics`), besides `wire_federation_check_ok` and `..._check_status`, which every check
   * feeds. @default - none
   */
  readonly samples?: (input: SampleInput<D>) => readonly Sample[];
}

/** Declares a check, keeping its literal id and the type of its details (from `samples`). */
export function defineCheck<const Id extends string, D extends object = object>(check: VerifyCheck<Id, D>): VerifyCheck<Id, D> {
  return check;
}

/** One Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'warning' | 'critical' };
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** An alert rule of the registry, with how our side's failure affects it. */
export interface VerifyAlertRule extends AlertRule {
  /**
   * A per-peer alert that a failure of our own side (our DNS, our certificate) explains:
   * `hold back` appends `unless on() (<our side broken>)` to `expr` and lets the Alertmanager
   * inhibition mute it; `inhibit` only the latter. @default - neither
   */
  readonly whenOurSideBroken?: 'hold back' | 'inhibit';
}

/** The alert options with their defaults applied, and the expressions derived from the registry. */
export interface AlertContext {
  /** The `job` label of the exporter's scrape target. */
  readonly job: string;
  readonly peerFailingFor: string;
  readonly expiryWarningDays: number;
  readonly expiryCriticalDays: number;
  readonly cannotRunFor: string;
  readonly meshLinkMissingFor: string;
  readonly intervalMs: number;
  /** Regex (PromQL string) of our checks whose failure is our DNS (`ourSide: 'dns'`). */
  readonly ourDnsChecks: string;
  /** Regex of our checks whose failure is our certificate (`ourSide: 'certificate'`). */
  readonly ourCertificateChecks: string;
}

/**
 * A group of checks declared in one file: where they run, the metrics they feed (by key of
 * `METRIC_NAMES`) and the alert rules on them.
 */
export interface CheckGroup<
  S extends CheckScope = CheckScope,
  C extends readonly VerifyCheck<string, never>[] = readonly VerifyCheck<string, never>[],
  M extends Readonly<Record<string, MetricDefinition>> = Readonly<Record<string, MetricDefinition>>,
> {
  readonly scope: S;
  /** In the order the checks reference lists them. */
  readonly checks: C;
  /** The metrics its checks feed. @default - none besides check_ok and check_status */
  readonly metrics?: M;
  /**
   * What feeds its metrics when no check of the group does: a round extra of the exporter, by
   * its name (`RoundExtra.name`, lib/verify/serve/round.ts), e.g. `mesh`. @default - its checks
   */
  readonly fedByRoundExtra?: string;
  /** Its alert rules, in the order the alert file lists them. @default - none */
  readonly alerts?: (context: AlertContext) => readonly VerifyAlertRule[];
}

/** Declares a group of checks, keeping its scope, its check ids and its metric keys as types. */
export function defineGroup<
  const S extends CheckScope,
  const C extends readonly VerifyCheck<string, never>[],
  const M extends Readonly<Record<string, MetricDefinition>> = Record<never, MetricDefinition>,
>(group: CheckGroup<S, C, M>): CheckGroup<S, C, M> {
  return group;
}

/** Prometheus template: the alert's `peer` label. */
export const PEER_LABEL = '{{ $labels.peer }}';
/** Prometheus template: the alert's `check` label. */
export const CHECK_LABEL = '{{ $labels.check }}';
/** The sentence alerts end with when `verify` says more. */
export const VERIFY_FOR_DETAILS = 'Run `wire-federation verify --peers` with the same options for the details';

/** A PromQL regex string matching exactly these check ids (`dns\\.a|dns\\.aaaa`). */
export function idsPattern(ids: readonly string[]): string {
  return ids.map(escapeId).join('|');
}

/** Like {@link idsPattern}, ids sharing a first part grouped: `dns\\.(srv|a)|mtls\\.client`. */
export function groupedIdsPattern(ids: readonly string[]): string {
  const heads = new Map<string, string[]>();
  for (const id of ids) {
    const dot = id.indexOf('.');
    const head = dot < 0 ? id : id.slice(0, dot);
    heads.set(head, [...(heads.get(head) ?? []), id]);
  }
  return [...heads]
    .map(([head, members]) =>
      members.length > 1 && members.every((m) => m.startsWith(`${head}.`))
        ? `${escapeId(head)}\\\\.(${members.map((m) => escapeId(m.slice(head.length + 1))).join('|')})`
        : members.map(escapeId).join('|'),
    )
    .join('|');
}

const escapeId = (id: string): string => id.replace(/\./g, '\\\\.');
