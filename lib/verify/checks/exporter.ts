/**
 * The exporter's own metrics (`wire-federation verify --serve`): the two every check feeds
 * (`check_ok`, `check_status`), the rounds, the credentials, and the alert rules on them and
 * across checks (certificate expiry, our side broken, checks that cannot run, the exporter down).
 * The checks' own metrics and alerts are declared with the checks (`./index.ts`).
 */
import { prometheusDuration } from '../../core/durations';
import { DNS_SERVER_HINT, renewOwnCertificateHint, renewOwnCoturnCertificateHint, renewPeerCertificateHint } from '../hints';
import { CERTIFICATE_NOT_AFTER } from './certificate-metrics';
import { AlertContext, CheckState, PEER_LABEL, VERIFY_FOR_DETAILS, VerifyAlertRule, defineMetric } from './types';

/** Every state, in the order `wire_federation_check_status` lists them. */
export const CHECK_STATES: readonly CheckState[] = ['pass', 'warn', 'fail', 'error', 'skipped'];

/** Default `--interval`, in milliseconds. */
export const DEFAULT_INTERVAL_MS = 60_000;

/**
 * How long /healthz accepts no completed round (and `WireFederationRoundsStalled` waits), in
 * milliseconds: three intervals and a round deadline.
 */
export function staleRoundBoundMs(intervalMs: number = DEFAULT_INTERVAL_MS, roundDeadlineMs: number = intervalMs): number {
  return 3 * intervalMs + roundDeadlineMs;
}

/** The exporter's own metrics, by their keys in `METRIC_NAMES`. */
export const EXPORTER_METRICS = {
  info: defineMetric({
    name: 'wire_federation_exporter_info',
    help: 'The exporter: package version and the environment it checks (always 1)',
    type: 'gauge',
    labels: ['version', 'environment', 'backend_domain', 'federator_domain'],
  }),
  checkOk: defineMetric({
    name: 'wire_federation_check_ok',
    help: 'Result of a check of the last round: 1 passed (or a warning), 0 failed, could not run (error) or skipped (check_status says which); peer is empty for our own backend',
    type: 'gauge',
    labels: ['check', 'peer'],
  }),
  checkStatus: defineMetric({
    name: 'wire_federation_check_status',
    help: 'State of a check of the last round: 1 for its status (pass, warn, fail, error = no verdict, e.g. a timeout, skipped = an earlier check failed), 0 for the others',
    type: 'gauge',
    labels: ['check', 'peer', 'status'],
  }),
  peerLastSuccess: defineMetric({
    name: 'wire_federation_peer_last_success_timestamp_seconds',
    help: 'Unix time when the last round ended in which every check of the peer passed (or warned); 0 before the first',
    type: 'gauge',
    labels: ['peer'],
  }),
  peerDeadlineMissed: defineMetric({
    name: 'wire_federation_peer_deadline_missed_total',
    help: 'Rounds in which the peer had no verdict by the round deadline (always the same peers: the round is too short for all of them)',
    type: 'counter',
    labels: ['peer'],
  }),
  credentialsReadOk: defineMetric({
    name: 'wire_federation_credentials_read_ok',
    help: 'The certificate and key files (--ca, --client-cert, --client-key, --peer-ca) could be read before the last round: 1 yes, 0 no (the previous ones stay in use; the log says why)',
    type: 'gauge',
    labels: [],
  }),
  credentialsReadErrors: defineMetric({
    name: 'wire_federation_credentials_read_errors_total',
    help: 'Rounds before which the certificate and key files could not be read (the previous ones stayed in use)',
    type: 'counter',
    labels: [],
  }),
  roundDuration: defineMetric({ name: 'wire_federation_round_duration_seconds', help: 'Duration of the last round of checks', type: 'gauge', labels: [] }),
  lastRound: defineMetric({
    name: 'wire_federation_last_round_timestamp_seconds',
    help: 'Unix time when the last round of checks ended',
    type: 'gauge',
    labels: [],
  }),
  lastSuccess: defineMetric({
    name: 'wire_federation_last_success_timestamp_seconds',
    help: 'Unix time when the last round ended in which no check failed or could not run',
    type: 'gauge',
    labels: [],
  }),
  rounds: defineMetric({ name: 'wire_federation_rounds_total', help: 'Rounds of checks completed', type: 'counter', labels: [] }),
  deadlineExceeded: defineMetric({
    name: 'wire_federation_round_deadline_exceeded_total',
    help: 'Rounds in which a part (our backend or a peer) had no verdict by the round deadline',
    type: 'counter',
    labels: [],
  }),
  roundErrors: defineMetric({
    name: 'wire_federation_round_errors_total',
    help: 'Rounds that failed with an error of the exporter (its log says which); the next round runs as scheduled',
    type: 'counter',
    labels: [],
  }),
} as const;

const CHECK_STATUS = EXPORTER_METRICS.checkStatus.name;

/** `check_status{<selector>status="<state>"} == 1`. */
export const checkStatusIs = (selector: string, state: string): string => `${CHECK_STATUS}{${selector}status="${state}"} == 1`;

/**
 * Our own DNS is broken: a lookup of our SRV or A/AAAA record fails, or gets no answer (the DNS
 * server the exporter asks is down, and every other lookup fails with it). One series or none.
 */
export function ourDnsBrokenExpr(context: Pick<AlertContext, 'ourDnsChecks'>): string {
  return `max(${CHECK_STATUS}{peer="",check=~"${context.ourDnsChecks}",status=~"fail|error"}) == 1`;
}

/** Our federator certificate fails a check (peers refuse it). One series or none. */
export function ourCertificateBrokenExpr(context: Pick<AlertContext, 'ourCertificateChecks'>): string {
  return `max(${CHECK_STATUS}{peer="",check=~"${context.ourCertificateChecks}",status="fail"}) == 1`;
}

/**
 * Our side is broken (our DNS or our certificate): peers then fail because of us, and the
 * per-peer alerts hold back (`unless on() (...)`): one alert names the cause instead of a page
 * per peer. The shipped Alertmanager inhibition rules (`monitoring/alertmanager-inhibit.yaml`)
 * do the same for per-peer alerts that were already firing.
 */
export function ourSideBrokenExpr(context: Pick<AlertContext, 'ourDnsChecks' | 'ourCertificateChecks'>): string {
  return `(${ourDnsBrokenExpr(context)} or ${ourCertificateBrokenExpr(context)})`;
}

/** The checks of `check_status` that match `selector` (single-quoted values), listed by a template query: "dns.srv dns.a". */
function checksWith(selector: string): string {
  // Without the regex escapes (they would need escaping twice more inside the template's string); `.` matches the dot.
  return `{{ range $i, $s := query "${CHECK_STATUS}{${selector.replace(/\\/g, '')}} == 1" | sortByLabel "check" }}{{ if $i }} {{ end }}{{ $s.Labels.check }}{{ end }}`;
}

/** The renewal hint by certificate subject, as a Prometheus template. */
function renewHintBySubject(): string {
  return `{{ if eq $labels.subject "peer" "peer_ca" "peer_coturn" }}${renewPeerCertificateHint(PEER_LABEL)}{{ else }}{{ if eq $labels.subject "coturn" }}${renewOwnCoturnCertificateHint()}{{ else }}${renewOwnCertificateHint('the federator certificate secret')}{{ end }}{{ end }}`;
}

/** The alert rules on the exporter's own metrics and across checks, after those of the checks. */
export function exporterAlerts(o: AlertContext): VerifyAlertRule[] {
  const m = EXPORTER_METRICS;
  const { job } = o;
  const days = '{{ $value | humanizeDuration }}';
  const staleMs = staleRoundBoundMs(o.intervalMs);
  const stale = prometheusDuration(staleMs);
  const subject = '{{ $labels.subject }}{{ if $labels.peer }} of {{ $labels.peer }}{{ end }}';
  // Seconds left, from the absolute expiry the exporter publishes.
  const left = `(${CERTIFICATE_NOT_AFTER.name} - time())`;
  return [
    {
      alert: 'WireFederationCertificateExpiringSoon',
      expr: `${left} < ${o.expiryWarningDays} * 86400 and ${left} >= ${o.expiryCriticalDays} * 86400`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: {
        summary: `The ${subject} certificate expires in ${days}: ${renewHintBySubject()}`,
        description: `A certificate on the federation path expires within ${o.expiryWarningDays} days. cert-manager renewals fail silently when an issuer breaks: check the Certificate resource's events. Subject federator: ours; ca: our CA; peer / peer_ca: the peer's certificate or its CA; coturn / peer_coturn: the coturn DTLS certificates (calling).`,
      },
    },
    {
      alert: 'WireFederationCertificateExpiryCritical',
      expr: `${left} < ${o.expiryCriticalDays} * 86400`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The ${subject} certificate expires in ${days} (or expired): ${renewHintBySubject()}`,
        description: `A certificate on the federation path expires within ${o.expiryCriticalDays} days; after that, federation with the peers concerned stops.`,
      },
    },
    {
      alert: 'WireFederationOurDnsBroken',
      // One alert, whatever number of our records goes unanswered.
      expr: `max by (namespace, job) (${CHECK_STATUS}{peer="",check=~"${o.ourDnsChecks}",status="error"}) == 1`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our DNS lookups get no answer (${checksWith(`peer='',check=~'${o.ourDnsChecks}',status='error'`)}): ${DNS_SERVER_HINT}; checks that need DNS cannot run, and the per-peer alerts hold back until it answers`,
        description:
          'The DNS server the exporter asks (--dns-server, or the cluster resolver) does not answer for our own SRV or address records. This alert stands for all the checks that cannot run because of it (no page per peer).',
      },
    },
    {
      alert: 'WireFederationOurCertificateBroken',
      expr: `max by (namespace, job) (${CHECK_STATUS}{peer="",check=~"${o.ourCertificateChecks}",status="fail"}) == 1`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our federator certificate fails ${checksWith(`peer='',check=~'${o.ourCertificateChecks}',status='fail'`)}: peers refuse us; ${renewOwnCertificateHint('the federator certificate secret')}`,
        description: `Peers refuse a federator certificate that fails this check; the per-peer alerts hold back while it does. ${VERIFY_FOR_DETAILS}.`,
      },
    },
    {
      alert: 'WireFederationCheckCannotRun',
      // One alert per part (our backend, a peer), not per check; our own DNS down is WireFederationOurDnsBroken.
      expr: `count by (namespace, job, peer) (${checkStatusIs('', 'error')}) > 0 unless on() ${ourDnsBrokenExpr(o)}`,
      for: o.cannotRunFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `{{ $value }} checks {{ if $labels.peer }}of ${PEER_LABEL}{{ else }}of our backend{{ end }} cannot run (timeout or no answer): is the federator ingress reachable from the exporter?`,
        description:
          'A check without a verdict is neither a pass nor a failure: the exporter could not find out, and it pages nobody for the peer. Long timeouts of a peer mean its federator ingress is unreachable from here (firewall, load balancer).',
      },
      whenOurSideBroken: 'inhibit',
    },
    {
      alert: 'WireFederationRoundDeadlineMissed',
      expr: `increase(${m.deadlineExceeded.name}[15m]) > 0`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Rounds of checks keep missing their deadline: some peers get no verdict ({{ $value | humanize }} rounds in 15 minutes)',
        description: `A round has the interval as deadline; peers without a verdict by then are reported as errors (${m.peerDeadlineMissed.name} says which). The next round starts with the first peer the last one missed, so every peer gets its turn, but a round should cover all: raise monitoring.interval or lower the timeout, and give the pod more CPU.`,
      },
    },
    {
      alert: 'WireFederationCredentialsUnreadable',
      expr: `${m.credentialsReadOk.name} == 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary:
          'The federation exporter cannot read its certificate or key files: it keeps checking with the previous ones, so a renewed certificate is not what it verifies',
        description:
          "Reading --ca, --client-cert, --client-key or --peer-ca failed before the last round (the exporter's log says which file and why). Check the mounted secret and ConfigMap.",
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
        description:
          'The ServiceMonitor selects no Service, or Prometheus does not select the ServiceMonitor (check its serviceMonitorSelector and the labels of monitoring.serviceMonitor.labels).',
      },
    },
    {
      alert: 'WireFederationRoundsStalled',
      // The gauge is 0 until the first round ends: that is WireFederationNoRoundCompleted.
      expr: `(time() - ${m.lastRound.name} > ${staleMs / 1000}) and (${m.lastRound.name} > 0)`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `The federation exporter has completed no round of checks for ${stale}: its metrics are stale`,
        description: `The exporter answers scrapes but its rounds do not end (three intervals and a round deadline, ${stale}, the bound of /healthz); /healthz fails too, so Kubernetes restarts it.`,
      },
    },
    {
      alert: 'WireFederationNoRoundCompleted',
      expr: `${m.lastRound.name} == 0`,
      for: stale,
      labels: { severity: 'warning' },
      annotations: {
        summary: `The federation exporter has not completed its first round of checks in ${stale}: federation is not being verified`,
        description:
          'The exporter started but no round of checks ever ended (three intervals and a round deadline, the bound of /healthz). Check its log (kubectl logs deploy/' +
          job +
          '): a round logs one line when it ends.',
      },
    },
  ];
}
