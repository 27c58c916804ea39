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
const CHECK = '{{ $labels.check }}';
/**
 * The refusal label of the failing call, looked up in the template: the alert's own series has
 * no `label` (the expression aggregates it away).
 */
const REFUSAL_LABEL = `{{ with printf "${METRIC_NAMES.checkOk}{check='federation.call',peer='%s',label!=''}" $labels.peer | query }}{{ with . | first }} (the federator answered "{{ .Labels.label }}"){{ end }}{{ end }}`;
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
  const rules: AlertRule[] = [
    {
      alert: 'WireFederationPeerCallFailing',
      // Without the refusal label: a peer whose refusal changes (federation-denied, then a
      // timeout) keeps failing, and the alert keeps its pending time.
      expr: `max without(label) (${m.checkOk}{check="federation.call"}) == 0`,
      for: options.peerFailingFor ?? '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The federation call to ${PEER} fails${REFUSAL_LABEL}: users cannot reach ${PEER}`,
        description: `Our federator's version call to ${PEER} (POST /federation/brig/api-version with our client certificate) has not succeeded for ${options.peerFailingFor ?? '10m'}. ${VERIFY}: the peer[${PEER}].federation.call check says whose side must act and how. "federation-denied": ${PEER}'s operator must add our backend domain to its remotes.`,
      },
    },
    {
      alert: 'WireFederationPeerRefusesOurCertificate',
      expr: `${m.checkStatus}{check="accepts-us",status="fail"} == 1`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER} refused our client certificate: ${peerTrustsUsHint(PEER)}`,
        description: `${PEER}'s ingress does not accept our federator certificate, so no federation request reaches its federator. A peer that rotated its trust bundle, or a CA rotation on our side that the peer has not picked up yet.`,
      },
    },
    {
      alert: 'WireFederationPeerSrvMissing',
      expr: `${m.checkStatus}{check="srv",peer!="",status="fail"} == 1`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `No usable SRV record for ${PEER}: ${peerSrvHint(PEER)}`,
        description: `The SRV record _wire-server-federator._tcp.${PEER} does not resolve to a federator with an address. ${VERIFY}.`,
      },
    },
    {
      alert: 'WireFederationPeerCertificateUntrusted',
      expr: `${m.checkStatus}{check="chain",peer!="",status="fail"} == 1`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER}'s federator certificate is not signed by a CA we trust for it: ${PEER_CHAIN_HINT}`,
        description: `Our federator refuses ${PEER}. A peer that rotated its CA without telling us. ${VERIFY}.`,
      },
    },
    {
      alert: 'WireFederationSrvRecordBroken',
      expr: `${m.checkOk}{peer="",check=~"dns\\\\.srv|dns\\\\.srv\\\\.target|dns\\\\.srv\\\\.port"} == 0 unless on(check) ${status('peer="",', 'error')}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our SRV record does not lead to the federator (${CHECK}): ${srvTargetHint('the federator domain')}; cdktf deploy creates it`,
        description: `Peers find our federator through the SRV record of our backend domain; without it (or pointing elsewhere) every peer fails to reach us. \`wire-federation verify\` shows the record found and the one expected.`,
      },
    },
    {
      alert: 'WireFederationAddressRecordBroken',
      expr: `${m.checkOk}{peer="",check=~"dns\\\\.a|dns\\\\.aaaa"} == 0 unless on(check) ${status('peer="",', 'error')}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The ${CHECK} record of our federator domain does not resolve to the ingress: ${addressRecordHint('A/AAAA', 'of ingress.ipv4 / ingress.ipv6')}`,
        description: 'Peers connect to the address of the federator domain; `wire-federation verify` shows the addresses found and the one configured.',
      },
    },
    {
      alert: 'WireFederationCertificateExpiringSoon',
      expr: `${m.certificateExpiry} < ${warnDays} * 86400 and ${m.certificateExpiry} >= ${critDays} * 86400`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: {
        summary: `The ${subject} certificate expires in ${days}: ${renewHintBySubject()}`,
        description: `A certificate on the federation path expires within ${warnDays} days. cert-manager renewals fail silently when an issuer breaks: check the Certificate resource's events. Subject federator: ours; ca: our CA; peer / peer_ca: the peer's certificate or its CA.`,
      },
    },
    {
      alert: 'WireFederationCertificateExpiryCritical',
      expr: `${m.certificateExpiry} < ${critDays} * 86400`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The ${subject} certificate expires in ${days} (or expired): ${renewHintBySubject()}`,
        description: `A certificate on the federation path expires within ${critDays} days; after that, federation with the peers concerned stops.`,
      },
    },
    {
      alert: 'WireFederationCheckCannotRun',
      expr: status('', 'error'),
      for: options.cannotRunFor ?? '30m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `The check ${CHECK}{{ if $labels.peer }} of ${PEER}{{ end }} cannot run (timeout or DNS server not answering): ${DNS_SERVER_HINT}; is the federator ingress reachable from the exporter?`,
        description: 'A check without a verdict is neither a pass nor a failure: the exporter could not find out. Long timeouts of a peer mean its federator ingress is unreachable from here (firewall, load balancer).',
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
