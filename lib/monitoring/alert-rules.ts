/**
 * The alert rules of the federation exporter (`wire-federation verify --serve`), as data: one
 * source for the PrometheusRule the stack deploys (`MonitoringRules`), for the packaged
 * `monitoring/alerts.yaml` (written by `npm run alerts`, checked by the tests) and for the
 * promtool tests. Summaries say the cause and the fix in the words of `verify`
 * (`lib/verify/hints.ts`, filled with Prometheus template expressions). Pure: no cdktf.
 */
import { stringify } from 'yaml';
import { DNS_SERVER_HINT, PEER_CHAIN_HINT, addressRecordHint, peerSrvHint, peerTrustsUsHint, renewOwnCertificateHint, renewPeerCertificateHint, srvTargetHint } from '../verify/hints';
import { prometheusDuration } from '../config/duration';
import { missingLinkFix } from '../mesh/matrix';
import { DEFAULT_INTERVAL_MS, METRIC_NAMES, staleRoundBoundMs } from '../verify/serve';

/** One Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'warning' | 'critical' };
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** A rule group as Prometheus and the PrometheusRule CRD take it. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

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
  /**
   * How long a link between two of our peers may be missing (one does not list the other) before
   * it alerts: long enough for a partner's two deploys. @default 30m
   */
  readonly meshLinkMissingFor?: string;
  /** How long a check may be without a verdict (timeouts, DNS down) before it alerts. @default 30m */
  readonly cannotRunFor?: string;
  /**
   * The exporter's interval between two rounds, in milliseconds (`monitoring.interval`): the
   * rounds alerts wait as long as /healthz does (three intervals and a round deadline).
   * @default 60000
   */
  readonly intervalMs?: number;
}

/** Default `job` label of the exporter's scrape target. */
export const EXPORTER_JOB = 'wire-federation-exporter';

const PEER = '{{ $labels.peer }}';
const FROM = '{{ $labels.from }}';
const TO = '{{ $labels.to }}';
const CHECK = '{{ $labels.check }}';
/**
 * The refusal label of the failing call, looked up in the template: the alert's own series
 * (check_status) does not carry it; `wire_federation_peer_call_refusal` does.
 */
const REFUSAL_LABEL = `{{ with printf "${METRIC_NAMES.callRefusal}{peer='%s'}" $labels.peer | query }}{{ with . | first }} (the federator answered "{{ .Labels.refusal }}"){{ end }}{{ end }}`;

/** Our checks whose failure makes peers refuse us: the DNS records that lead to our federator. */
const OUR_DNS_CHECKS = 'dns\\\\.(srv|srv\\\\.target|srv\\\\.port|a|aaaa)';
/** ... and our federator certificate. */
const OUR_CERTIFICATE_CHECKS = 'tls\\\\.(san|expiry|eku|key|chain)|mtls\\\\.client';

/**
 * Our own DNS is broken: a lookup of our SRV or A/AAAA record fails, or gets no answer (the DNS
 * server the exporter asks is down, and every other lookup fails with it). One series or none.
 */
export function ourDnsBrokenExpr(): string {
  return `max(${METRIC_NAMES.checkStatus}{peer="",check=~"${OUR_DNS_CHECKS}",status=~"fail|error"}) == 1`;
}

/** Our federator certificate fails a check (peers refuse it). One series or none. */
export function ourCertificateBrokenExpr(): string {
  return `max(${METRIC_NAMES.checkStatus}{peer="",check=~"${OUR_CERTIFICATE_CHECKS}",status="fail"}) == 1`;
}

/**
 * Our side is broken (our DNS or our certificate): peers then fail because of us, and the
 * per-peer alerts hold back (`unless on() (...)`): one alert names the cause instead of a page
 * per peer. The shipped Alertmanager inhibition rules (`monitoring/alertmanager-inhibit.yaml`)
 * do the same for per-peer alerts that were already firing.
 */
export function ourSideBrokenExpr(): string {
  return `(${ourDnsBrokenExpr()} or ${ourCertificateBrokenExpr()})`;
}
const VERIFY = 'Run `wire-federation verify --peers` with the same options for the details';

/** The rule groups, one group `wire-federation`. */
export function federationAlertRules(options: AlertRuleOptions = {}): RuleGroup[] {
  const job = options.job ?? EXPORTER_JOB;
  const warnDays = options.expiryWarningDays ?? 21;
  const critDays = options.expiryCriticalDays ?? 7;
  const m = METRIC_NAMES;
  const status = (selector: string, state: string): string => `${m.checkStatus}{${selector}status="${state}"} == 1`;
  const days = '{{ $value | humanizeDuration }}';
  const staleMs = staleRoundBoundMs(options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const stale = prometheusDuration(staleMs);
  const subject = '{{ $labels.subject }}{{ if $labels.peer }} of {{ $labels.peer }}{{ end }}';
  const unlessOurs = `unless on() ${ourSideBrokenExpr()}`;
  // Seconds left, from the absolute expiry the exporter publishes.
  const left = `(${m.certificateNotAfter} - time())`;
  const rules: AlertRule[] = [
    {
      alert: 'WireFederationPeerCallFailing',
      // A definite failure only: a call that could not run (error) or was skipped is not the
      // peer's failure. check_status has no refusal label: a refusal that changes keeps the
      // alert pending.
      expr: `${status('check="federation.call",peer!="",', 'fail')} ${unlessOurs}`,
      for: options.peerFailingFor ?? '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The federation call to ${PEER} fails${REFUSAL_LABEL}: users cannot reach ${PEER}`,
        description: `Our federator's version call to ${PEER} (POST /federation/brig/api-version with our client certificate) has failed for ${options.peerFailingFor ?? '10m'} while our own DNS and certificate are fine. ${VERIFY}: the peer[${PEER}].federation.call check says whose side must act and how. "federation-denied": ${PEER}'s operator must add our backend domain to its remotes.`,
      },
    },
    {
      alert: 'WireFederationPeerRefusesOurCertificate',
      expr: `${m.checkStatus}{check="accepts-us",status="fail"} == 1 ${unlessOurs}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER} refused our client certificate: ${peerTrustsUsHint(PEER)}`,
        description: `${PEER}'s ingress does not accept our federator certificate, so no federation request reaches its federator. A peer that rotated its trust bundle, or a CA rotation on our side that the peer has not picked up yet.`,
      },
    },
    {
      alert: 'WireFederationPeerSrvMissing',
      expr: `${m.checkStatus}{check="srv",peer!="",status="fail"} == 1 ${unlessOurs}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `No usable SRV record for ${PEER}: ${peerSrvHint(PEER)}`,
        description: `The SRV record _wire-server-federator._tcp.${PEER} does not resolve to a federator with an address. ${VERIFY}.`,
      },
    },
    {
      alert: 'WireFederationPeerCertificateUntrusted',
      expr: `${m.checkStatus}{check="chain",peer!="",status="fail"} == 1 ${unlessOurs}`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER}'s federator certificate is not signed by a CA we trust for it: ${PEER_CHAIN_HINT}`,
        description: `Our federator refuses ${PEER}. A peer that rotated its CA without telling us. ${VERIFY}.`,
      },
    },
    {
      alert: 'WireFederationMeshLinkMissing',
      // One series per directed link between two configured peers (lib/mesh/metrics.ts).
      expr: `max by (from, to) (${m.meshLinkMissing}) == 1`,
      for: options.meshLinkMissingFor ?? '30m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `${FROM} does not federate with ${TO}: users of ${FROM} and ${TO} cannot be in one conversation (non-federating-backends). Fix: ${missingLinkFix(FROM, TO)}`,
        description: `Both are peers of ours. Asked by our exporter (get-not-fully-connected-backends), ${FROM}'s brig has said for ${options.meshLinkMissingFor ?? '30m'} that it does not count ${TO} among its remotes; Wire puts users of several backends into one conversation only when all of them federate with each other, so conversations of our users with users of both fail. Run \`wire-federation mesh\` with our federator certificate for the whole matrix.`,
      },
    },
    {
      alert: 'WireFederationSrvRecordBroken',
      // fail only: a check skipped after it (the target when there is no record) is no second alert.
      expr: status('peer="",check=~"dns\\\\.srv|dns\\\\.srv\\\\.target|dns\\\\.srv\\\\.port",', 'fail'),
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our SRV record does not lead to the federator (${CHECK}): ${srvTargetHint('the federator domain')}; cdktf deploy creates it`,
        description: `Peers find our federator through the SRV record of our backend domain; without it (or pointing elsewhere) every peer fails to reach us. \`wire-federation verify\` shows the record found and the one expected.`,
      },
    },
    {
      alert: 'WireFederationAddressRecordBroken',
      expr: status('peer="",check=~"dns\\\\.a|dns\\\\.aaaa",', 'fail'),
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The ${CHECK} record of our federator domain does not resolve to the ingress: ${addressRecordHint('A/AAAA', 'of ingress.ipv4 / ingress.ipv6')}`,
        description: 'Peers connect to the address of the federator domain; `wire-federation verify` shows the addresses found and the one configured.',
      },
    },
    {
      alert: 'WireFederationCertificateExpiringSoon',
      expr: `${left} < ${warnDays} * 86400 and ${left} >= ${critDays} * 86400`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: {
        summary: `The ${subject} certificate expires in ${days}: ${renewHintBySubject()}`,
        description: `A certificate on the federation path expires within ${warnDays} days. cert-manager renewals fail silently when an issuer breaks: check the Certificate resource's events. Subject federator: ours; ca: our CA; peer / peer_ca: the peer's certificate or its CA.`,
      },
    },
    {
      alert: 'WireFederationCertificateExpiryCritical',
      expr: `${left} < ${critDays} * 86400`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The ${subject} certificate expires in ${days} (or expired): ${renewHintBySubject()}`,
        description: `A certificate on the federation path expires within ${critDays} days; after that, federation with the peers concerned stops.`,
      },
    },
    {
      alert: 'WireFederationOurDnsBroken',
      // One alert, whatever number of our records goes unanswered.
      expr: `max by (namespace, job) (${m.checkStatus}{peer="",check=~"${OUR_DNS_CHECKS}",status="error"}) == 1`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our DNS lookups get no answer (${checksWith(`peer='',check=~'${OUR_DNS_CHECKS}',status='error'`)}): ${DNS_SERVER_HINT}; checks that need DNS cannot run, and the per-peer alerts hold back until it answers`,
        description: 'The DNS server the exporter asks (--dns-server, or the cluster resolver) does not answer for our own SRV or address records. This alert stands for all the checks that cannot run because of it (no page per peer).',
      },
    },
    {
      alert: 'WireFederationOurCertificateBroken',
      expr: `max by (namespace, job) (${m.checkStatus}{peer="",check=~"${OUR_CERTIFICATE_CHECKS}",status="fail"}) == 1`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our federator certificate fails ${checksWith(`peer='',check=~'${OUR_CERTIFICATE_CHECKS}',status='fail'`)}: peers refuse us; ${renewOwnCertificateHint('the federator certificate secret')}`,
        description: `Peers refuse a federator certificate that fails this check; the per-peer alerts hold back while it does. ${VERIFY}.`,
      },
    },
    {
      alert: 'WireFederationCheckCannotRun',
      // One alert per part (our backend, a peer), not per check; our own DNS down is WireFederationOurDnsBroken.
      expr: `count by (namespace, job, peer) (${status('', 'error')}) > 0 unless on() ${ourDnsBrokenExpr()}`,
      for: options.cannotRunFor ?? '30m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `{{ $value }} checks {{ if $labels.peer }}of ${PEER}{{ else }}of our backend{{ end }} cannot run (timeout or no answer): is the federator ingress reachable from the exporter?`,
        description: 'A check without a verdict is neither a pass nor a failure: the exporter could not find out, and it pages nobody for the peer. Long timeouts of a peer mean its federator ingress is unreachable from here (firewall, load balancer).',
      },
    },
    {
      alert: 'WireFederationRoundDeadlineMissed',
      expr: `increase(${m.deadlineExceeded}[15m]) > 0`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Rounds of checks keep missing their deadline: some peers get no verdict ({{ $value | humanize }} rounds in 15 minutes)',
        description: `A round has the interval as deadline; peers without a verdict by then are reported as errors (${m.peerDeadlineMissed} says which). The next round starts with the first peer the last one missed, so every peer gets its turn, but a round should cover all: raise monitoring.interval or lower the timeout, and give the pod more CPU.`,
      },
    },
    {
      alert: 'WireFederationCredentialsUnreadable',
      expr: `${m.credentialsReadOk} == 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The federation exporter cannot read its certificate or key files: it keeps checking with the previous ones, so a renewed certificate is not what it verifies',
        description: "Reading --ca, --client-cert, --client-key or --peer-ca failed before the last round (the exporter's log says which file and why). Check the mounted secret and ConfigMap.",
      },
    },
    {
      alert: 'WireFederationExporterDown',
      expr: `up{job="${job}"} == 0`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The federation exporter cannot be scraped: federation is not being verified',
        description: `Prometheus cannot scrape job ${job}. Check the exporter's pod (kubectl logs deploy/${job}): it logs one line per round.`,
      },
    },
    {
      alert: 'WireFederationExporterAbsent',
      expr: `absent(up{job="${job}"})`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Prometheus has no target of job ${job}: federation is not being verified`,
        description: 'The ServiceMonitor selects no Service, or Prometheus does not select the ServiceMonitor (check its serviceMonitorSelector and the labels of monitoring.serviceMonitor.labels).',
      },
    },
    {
      alert: 'WireFederationRoundsStalled',
      // The gauge is 0 until the first round ends: that is WireFederationNoRoundCompleted.
      expr: `(time() - ${m.lastRound} > ${staleMs / 1000}) and (${m.lastRound} > 0)`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `The federation exporter has completed no round of checks for ${stale}: its metrics are stale`,
        description: `The exporter answers scrapes but its rounds do not end (three intervals and a round deadline, ${stale}, the bound of /healthz); /healthz fails too, so Kubernetes restarts it.`,
      },
    },
    {
      alert: 'WireFederationNoRoundCompleted',
      expr: `${m.lastRound} == 0`,
      for: stale,
      labels: { severity: 'warning' },
      annotations: {
        summary: `The federation exporter has not completed its first round of checks in ${stale}: federation is not being verified`,
        description: 'The exporter started but no round of checks ever ended (three intervals and a round deadline, the bound of /healthz). Check its log (kubectl logs deploy/' + job + '): a round logs one line when it ends.',
      },
    },
  ];
  return [{ name: 'wire-federation', rules }];
}

/** The checks of `check_status` that match `selector` (single-quoted values), listed by a template query: "dns.srv dns.a". */
function checksWith(selector: string): string {
  // Without the regex escapes (they would need escaping twice more inside the template's string); `.` matches the dot.
  return `{{ range $i, $s := query "${METRIC_NAMES.checkStatus}{${selector.replace(/\\/g, '')}} == 1" | sortByLabel "check" }}{{ if $i }} {{ end }}{{ $s.Labels.check }}{{ end }}`;
}

/** The renewal hint by certificate subject, as a Prometheus template. */
function renewHintBySubject(): string {
  return `{{ if eq $labels.subject "peer" "peer_ca" }}${renewPeerCertificateHint(PEER)}{{ else }}${renewOwnCertificateHint('the federator certificate secret')}{{ end }}`;
}

/** The rules as a Prometheus rule file (`promtool check rules`), with a header comment. */
export function alertRulesYaml(options: AlertRuleOptions = {}): string {
  const interval = prometheusDuration(options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const header = `# Alert rules of the Wire federation exporter (wire-federation verify --serve), for --interval ${interval}.\n# Generated by \`npm run alerts\` from lib/monitoring/alert-rules.ts: do not edit.\n`;
  return header + stringify({ groups: federationAlertRules(options) }, { lineWidth: 0 });
}

/** Alerts that name a cause on our side; while one fires, the per-peer alerts it explains are inhibited. */
export const OUR_SIDE_ALERTS: readonly string[] = ['WireFederationOurDnsBroken', 'WireFederationOurCertificateBroken', 'WireFederationSrvRecordBroken', 'WireFederationAddressRecordBroken'];
/** The per-peer alerts (and the could-not-run alert) that our side's failure explains. */
export const PEER_ALERTS: readonly string[] = ['WireFederationPeerCallFailing', 'WireFederationPeerRefusesOurCertificate', 'WireFederationPeerSrvMissing', 'WireFederationPeerCertificateUntrusted', 'WireFederationCheckCannotRun'];

/**
 * Alertmanager inhibition rules (the `inhibit_rules` of alertmanager.yml, or an
 * AlertmanagerConfig's `inhibitRules`): while an alert about our own DNS or certificate fires,
 * the per-peer alerts of the same exporter are muted. The rules' expressions already hold them
 * back (`unless on() ...`); this also mutes those that were firing before our side broke.
 */
export function alertmanagerInhibitRules(): { source_matchers: string[]; target_matchers: string[]; equal: string[] }[] {
  return [{ source_matchers: [`alertname=~"${OUR_SIDE_ALERTS.join('|')}"`], target_matchers: [`alertname=~"${PEER_ALERTS.join('|')}"`], equal: ['namespace', 'job'] }];
}

/** The inhibition rules as a YAML file to merge into alertmanager.yml (`amtool check-config` accepts it). */
export function alertmanagerInhibitYaml(): string {
  const header = '# Alertmanager inhibition rules of the Wire federation exporter: merge into alertmanager.yml.\n# Generated by `npm run alerts` from lib/monitoring/alert-rules.ts: do not edit.\n';
  return header + stringify({ inhibit_rules: alertmanagerInhibitRules() }, { lineWidth: 0 });
}
