/**
 * The alert rules (lib/monitoring/alert-rules.ts): the packaged file is up to date, every metric
 * they read is one the exporter serves, the summaries are verify's hints; then with Debian's
 * promtool, `promtool check rules` and `promtool test rules` with series that fire and series
 * that do not.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  AlertRule,
  OUR_SIDE_ALERTS,
  PEER_ALERTS,
  alertRulesYaml,
  alertmanagerInhibitYaml,
  federationAlertRules,
  ourDnsBrokenExpr,
  ourSideBrokenExpr,
} from '../../lib/monitoring/alert-rules';
import { peerTrustsUsHint, peerSrvHint, renewPeerCertificateHint } from '../../lib/verify/hints';
import { missingLinkFix } from '../../lib/mesh/matrix';
import { DEFAULT_INTERVAL_MS, METRIC_NAMES, staleRoundBoundMs } from '../../lib/verify/serve';
import { REPO_ROOT } from '../support/config';
import { describeWithBinary } from '../support/test-tools';
import { TempDir } from '../verify/harness';

const RULE_FILE = join(REPO_ROOT, 'monitoring', 'alerts.yaml');
const rules = federationAlertRules()[0].rules;
const rule = (name: string): AlertRule => rules.find((r) => r.alert === name)!;

describe('the alert rules', () => {
  test('monitoring/alerts.yaml is what `npm run alerts` writes', () => {
    expect(readFileSync(RULE_FILE, 'utf8')).toBe(alertRulesYaml());
  });

  test('every alert the issue asks for exists', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'WireFederationPeerCallFailing',
        'WireFederationCertificateExpiringSoon',
        'WireFederationCertificateExpiryCritical',
        'WireFederationSrvRecordBroken',
        'WireFederationAddressRecordBroken',
        'WireFederationPeerRefusesOurCertificate',
        'WireFederationExporterDown',
        'WireFederationExporterAbsent',
        'WireFederationCheckCannotRun',
        'WireFederationOurCoturnBroken',
        'WireFederationPeerCoturnRefusesUs',
        'WireFederationPeerCoturnBroken',
      ]),
    );
  });

  test('they read only metrics the exporter serves (and up)', () => {
    const known = new Set<string>([...Object.values(METRIC_NAMES), 'up']);
    for (const r of rules) {
      const names = r.expr.match(/\b(?:wire_federation_[a-z_]+|up)\b(?=\s*[{<>=!)[-]|\s*$)/g) ?? [];
      expect({ alert: r.alert, read: names.length > 0, unknown: names.filter((n) => !known.has(n)) }).toEqual({ alert: r.alert, read: true, unknown: [] });
    }
  });

  test('the mesh alert names both backends and who must add whom, in the words of `wire-federation mesh`', () => {
    const r = rule('WireFederationMeshLinkMissing');
    expect(r.expr).toBe('max by (from, to) (wire_federation_mesh_link_missing) == 1');
    expect(r.for).toBe('30m');
    expect(r.annotations.summary).toContain(missingLinkFix('{{ $labels.from }}', '{{ $labels.to }}'));
    expect(r.annotations.summary).toMatch(/^\{\{ \$labels\.from \}\} does not federate with \{\{ \$labels\.to \}\}/);
    expect(federationAlertRules({ meshLinkMissingFor: '2h' })[0].rules.find((x) => x.alert === 'WireFederationMeshLinkMissing')!.for).toBe('2h');
  });

  test('summaries say the fix in the words of verify', () => {
    const peer = '{{ $labels.peer }}';
    expect(rule('WireFederationPeerRefusesOurCertificate').annotations.summary).toContain(peerTrustsUsHint(peer));
    expect(rule('WireFederationPeerSrvMissing').annotations.summary).toContain(peerSrvHint(peer));
    expect(rule('WireFederationCertificateExpiringSoon').annotations.summary).toContain(renewPeerCertificateHint(peer));
  });

  test('options change the thresholds and the job', () => {
    const [group] = federationAlertRules({ job: 'fed', expiryWarningDays: 30, peerFailingFor: '3m' });
    const by = (n: string): AlertRule => group.rules.find((r) => r.alert === n)!;
    expect(by('WireFederationExporterDown').expr).toBe('up{job="fed"} == 0');
    expect(by('WireFederationCertificateExpiringSoon').expr).toContain('< 30 * 86400');
    expect(by('WireFederationPeerCallFailing').for).toBe('3m');
  });

  test('the rounds alerts wait as long as /healthz: three intervals and a round deadline', () => {
    expect(rule('WireFederationRoundsStalled').expr).toContain(`> ${staleRoundBoundMs(DEFAULT_INTERVAL_MS) / 1000})`);
    expect(rule('WireFederationNoRoundCompleted').for).toBe('4m');
    const [group] = federationAlertRules({ intervalMs: 5 * 60_000 });
    const by = (n: string): AlertRule => group.rules.find((r) => r.alert === n)!;
    expect(by('WireFederationRoundsStalled').expr).toBe(
      '(time() - wire_federation_last_round_timestamp_seconds > 1200) and (wire_federation_last_round_timestamp_seconds > 0)',
    );
    expect(by('WireFederationRoundsStalled').annotations.summary).toContain('for 20m');
    expect(by('WireFederationNoRoundCompleted').for).toBe('20m');
  });

  test('per-peer alerts fire on a definite failure only, and hold back while our side is broken', () => {
    expect(rule('WireFederationPeerCallFailing').expr).toBe(
      `wire_federation_check_status{check="federation.call",peer!="",status="fail"} == 1 unless on() ${ourSideBrokenExpr()}`,
    );
    for (const name of PEER_ALERTS.filter((a) => a !== 'WireFederationCheckCannotRun')) {
      expect({ name, expr: rule(name).expr }).toEqual({ name, expr: expect.stringMatching(/status="fail"\} == 1 unless on\(\) \(max/) });
    }
    expect(rule('WireFederationCheckCannotRun').expr).toContain(`unless on() ${ourDnsBrokenExpr()}`);
  });

  test('monitoring/alertmanager-inhibit.yaml is what `npm run alerts` writes; it mutes per-peer alerts while ours fire', () => {
    expect(readFileSync(join(REPO_ROOT, 'monitoring', 'alertmanager-inhibit.yaml'), 'utf8')).toBe(alertmanagerInhibitYaml());
    const names = new Set(rules.map((r) => r.alert));
    for (const a of [...OUR_SIDE_ALERTS, ...PEER_ALERTS]) expect({ a, known: names.has(a) }).toEqual({ a, known: true });
  });
});

/**
 * Renders the few template constructs the rules use ({{ $labels.x }}, {{ if $labels.x }}…{{ end }},
 * {{ if eq $labels.x "a" "b" }}…{{ else }}…{{ end }}, {{ $value | humanizeDuration }}), for the
 * expected annotations of promtool's unit tests.
 */
function render(template: string, labels: Record<string, string>, value: string): string {
  let text = template;
  for (let i = 0; i < 10 && text.includes('{{ if'); i++) {
    text = text.replace(
      /\{\{ if ([^}]+) \}\}((?:(?!\{\{ if)[\s\S])*?)(?:\{\{ else \}\}((?:(?!\{\{ if)[\s\S])*?))?\{\{ end \}\}/,
      (_, cond: string, yes: string, no = '') => {
        const eq = /^eq \$labels\.(\w+) (.+)$/.exec(cond);
        const truth = eq
          ? eq[2]
              .split(' ')
              .map((s) => JSON.parse(s) as string)
              .includes(labels[eq[1]] ?? '')
          : Boolean(labels[/^\$labels\.(\w+)$/.exec(cond)![1]]);
        return truth ? yes : no;
      },
    );
  }
  return text
    .replace(/\{\{ \$value \| humanizeDuration \}\}/g, value)
    .replace(/\{\{ \$value(?: \| humanize)? \}\}/g, value)
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l] ?? '');
}

/** The summary's `query` of the refusal label, rendered with what the query finds (`queried`). */
function renderQuery(template: string, queried: string | undefined): string {
  template = template.replace(/\{\{ range \$i, \$s := query [\s\S]*?\{\{ \$s\.Labels\.check \}\}\{\{ end \}\}/g, queried ?? '');
  return template.replace(/\{\{ with printf [\s\S]*?\| query \}\}\{\{ with \. \| first \}\}([\s\S]*?)\{\{ end \}\}\{\{ end \}\}/g, (_, body: string) =>
    queried === undefined ? '' : body.replace(/\{\{ \.Labels\.refusal \}\}/g, queried),
  );
}

function expected(name: string, labels: Record<string, string>, value = '', queried?: string) {
  const r = rule(name);
  // Prometheus drops labels with empty values.
  const present = Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
  return {
    exp_labels: { ...present, severity: r.labels.severity },
    exp_annotations: {
      summary: render(renderQuery(r.annotations.summary, queried), labels, value),
      description: render(renderQuery(r.annotations.description, queried), labels, value),
    },
  };
}

const state = (check: string, peer: string, current: string, job = '') =>
  ['pass', 'warn', 'fail', 'error', 'skipped'].map((s) => ({
    series: `wire_federation_check_status{check="${check}",peer="${peer}",status="${s}"${job ? `,job="${job}"` : ''}}`,
    values: `${s === current ? 1 : 0}x60`,
  }));
const refused = (peer: string, refusal: string, values = '1x60') => ({
  series: `wire_federation_peer_call_refusal{peer="${peer}",refusal="${refusal}"}`,
  values,
});

const JOB = 'wire-federation-exporter';
const PEERS = ['a.example', 'b.example', 'c.example'];
/** A whole exporter's series: our checks and every peer's, with the given states (pass otherwise). */
function exporterSeries(own: Record<string, string>, peer: Record<string, string>) {
  const ownIds = [
    'dns.srv',
    'dns.srv.target',
    'dns.srv.port',
    'dns.srv.weight',
    'dns.a',
    'dns.aaaa',
    'tls.connect',
    'tls.san',
    'tls.expiry',
    'tls.eku',
    'tls.key',
    'tls.chain',
    'mtls.required',
    'mtls.client',
  ];
  const peerIds = ['remote', 'srv', 'srv.weight', 'tls', 'san', 'expiry', 'chain', 'accepts-us', 'federation.call'];
  return [
    ...ownIds.flatMap((c) => state(c, '', own[c] ?? 'pass', JOB)),
    ...PEERS.flatMap((p) => peerIds.flatMap((c) => state(c, p, peer[c] ?? 'pass', JOB))),
    { series: `wire_federation_credentials_read_ok{job="${JOB}"}`, values: '1x60' },
    { series: `wire_federation_round_deadline_exceeded_total{job="${JOB}"}`, values: '0x60' },
    { series: `up{job="${JOB}"}`, values: '1x60' },
  ];
}
/** Every rule at `at`: none fires but `firing`. */
const onlyThese = (at: string, firing: Record<string, unknown[]>) =>
  rules.map((r) => ({ eval_time: at, alertname: r.alert, exp_alerts: firing[r.alert] ?? [] }));

/** promtool's unit tests: every alert once firing, once not. */
function unitTests(ruleFile: string): string {
  const day = 86_400;
  const tests = [
    {
      name: 'peer call failing: fires after 10m for the broken peer only, with the federator label',
      input_series: [
        ...state('federation.call', 'bad.example', 'fail'),
        refused('bad.example', 'federation-denied'),
        ...state('federation.call', 'good.example', 'pass'),
        ...state('federation.call', 'unknown.example', 'error'),
        ...state('federation.call', 'skipped.example', 'skipped'),
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'WireFederationPeerCallFailing', exp_alerts: [] },
        {
          eval_time: '15m',
          alertname: 'WireFederationPeerCallFailing',
          exp_alerts: [expected('WireFederationPeerCallFailing', { check: 'federation.call', peer: 'bad.example', status: 'fail' }, '', 'federation-denied')],
        },
      ],
    },
    {
      // federation-denied for 3 minutes, then another refusal: one failure of 12 minutes, not two short ones.
      name: 'peer call failing: a refusal label that changes keeps the alert pending',
      input_series: [
        ...state('federation.call', 'bad.example', 'fail'),
        refused('bad.example', 'federation-denied', '1x3 _x40'),
        refused('bad.example', 'other', '_x3 1x40'),
      ],
      alert_rule_test: [
        {
          eval_time: '12m',
          alertname: 'WireFederationPeerCallFailing',
          exp_alerts: [expected('WireFederationPeerCallFailing', { check: 'federation.call', peer: 'bad.example', status: 'fail' }, '', 'other')],
        },
      ],
    },
    {
      name: 'peer SRV record: a definite failure fires, a DNS lookup without a verdict does not',
      input_series: [...state('srv', 'gone.example', 'fail'), ...state('srv', 'flaky.example', 'error'), ...state('srv', 'fine.example', 'pass')],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'WireFederationPeerSrvMissing', exp_alerts: [] },
        {
          eval_time: '15m',
          alertname: 'WireFederationPeerSrvMissing',
          exp_alerts: [expected('WireFederationPeerSrvMissing', { check: 'srv', peer: 'gone.example', status: 'fail' })],
        },
      ],
    },
    {
      name: 'peer certificate untrusted: the failing chain fires, a passing or skipped one does not',
      input_series: [...state('chain', 'rotated.example', 'fail'), ...state('chain', 'fine.example', 'pass'), ...state('chain', 'down.example', 'skipped')],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'WireFederationPeerCertificateUntrusted', exp_alerts: [] },
        {
          eval_time: '15m',
          alertname: 'WireFederationPeerCertificateUntrusted',
          exp_alerts: [expected('WireFederationPeerCertificateUntrusted', { check: 'chain', peer: 'rotated.example', status: 'fail' })],
        },
      ],
    },
    {
      // a → b missing for 45 minutes, then added; c → a missing for 10 minutes only (a partner's two deploys).
      name: 'mesh: a link missing between two peers fires after 30m naming both and the fix, and clears when the link appears',
      input_series: [
        { series: `wire_federation_mesh_link_missing{from="a.example",to="b.example",job="${JOB}"}`, values: '1x45 0x30' },
        { series: `wire_federation_mesh_link_missing{from="b.example",to="a.example",job="${JOB}"}`, values: '0x75' },
        { series: `wire_federation_mesh_link_missing{from="c.example",to="a.example",job="${JOB}"}`, values: '1x10 0x65' },
      ],
      alert_rule_test: [
        { eval_time: '20m', alertname: 'WireFederationMeshLinkMissing', exp_alerts: [] },
        {
          eval_time: '40m',
          alertname: 'WireFederationMeshLinkMissing',
          exp_alerts: [expected('WireFederationMeshLinkMissing', { from: 'a.example', to: 'b.example' })],
        },
        { eval_time: '50m', alertname: 'WireFederationMeshLinkMissing', exp_alerts: [] },
      ],
    },
    {
      // Rounds end every minute until minute 10 (the gauge is the time a round ended), then stop.
      name: 'rounds stalled: after the bound of /healthz (4m at the default interval) and 5m more',
      input_series: [{ series: 'wire_federation_last_round_timestamp_seconds{job="wire-federation-exporter"}', values: '0+60x10 600x40' }],
      alert_rule_test: [
        { eval_time: '16m', alertname: 'WireFederationRoundsStalled', exp_alerts: [] },
        {
          eval_time: '25m',
          alertname: 'WireFederationRoundsStalled',
          exp_alerts: [expected('WireFederationRoundsStalled', { job: 'wire-federation-exporter' })],
        },
        { eval_time: '25m', alertname: 'WireFederationNoRoundCompleted', exp_alerts: [] },
      ],
    },
    {
      name: 'no round yet: not "stalled" (the gauge is 0 before the first round), but no first round within the bound alerts',
      input_series: [{ series: 'wire_federation_last_round_timestamp_seconds{job="wire-federation-exporter"}', values: '0x40' }],
      alert_rule_test: [
        { eval_time: '30m', alertname: 'WireFederationRoundsStalled', exp_alerts: [] },
        { eval_time: '3m', alertname: 'WireFederationNoRoundCompleted', exp_alerts: [] },
        {
          eval_time: '10m',
          alertname: 'WireFederationNoRoundCompleted',
          exp_alerts: [expected('WireFederationNoRoundCompleted', { job: 'wire-federation-exporter' })],
        },
      ],
    },
    {
      name: 'peer refusing our certificate; a skipped check does not count',
      input_series: [...state('accepts-us', 'strict.example', 'fail'), ...state('accepts-us', 'unknown.example', 'skipped')],
      alert_rule_test: [
        {
          eval_time: '10m',
          alertname: 'WireFederationPeerRefusesOurCertificate',
          exp_alerts: [expected('WireFederationPeerRefusesOurCertificate', { check: 'accepts-us', peer: 'strict.example', status: 'fail' })],
        },
      ],
    },
    {
      name: 'certificates: 14 days is a warning, 3 days critical, 60 days nothing',
      input_series: [
        // Absolute expiry times; promtool's clock starts at 0, the alerts are evaluated at 2h (7200 s).
        { series: 'wire_federation_certificate_not_after_timestamp_seconds{subject="peer",peer="soon.example"}', values: `${14 * day + 7200}x200` },
        { series: 'wire_federation_certificate_not_after_timestamp_seconds{subject="federator",peer=""}', values: `${3 * day + 7200}x200` },
        { series: 'wire_federation_certificate_not_after_timestamp_seconds{subject="ca",peer=""}', values: `${60 * day + 7200}x200` },
      ],
      alert_rule_test: [
        { eval_time: '30m', alertname: 'WireFederationCertificateExpiringSoon', exp_alerts: [] },
        {
          eval_time: '2h',
          alertname: 'WireFederationCertificateExpiringSoon',
          exp_alerts: [expected('WireFederationCertificateExpiringSoon', { subject: 'peer', peer: 'soon.example' }, '14d 0h 0m 0s')],
        },
        {
          eval_time: '2h',
          alertname: 'WireFederationCertificateExpiryCritical',
          exp_alerts: [expected('WireFederationCertificateExpiryCritical', { subject: 'federator', peer: '' }, '3d 0h 0m 0s')],
        },
      ],
    },
    {
      name: 'our SRV record: a wrong target fires, a DNS server that does not answer does not (that is CheckCannotRun)',
      input_series: [...state('dns.srv.target', '', 'fail'), ...state('dns.srv.port', '', 'skipped'), ...state('dns.a', '', 'error')],
      alert_rule_test: [
        {
          eval_time: '10m',
          alertname: 'WireFederationSrvRecordBroken',
          exp_alerts: [expected('WireFederationSrvRecordBroken', { check: 'dns.srv.target', peer: '', status: 'fail' })],
        },
        { eval_time: '10m', alertname: 'WireFederationAddressRecordBroken', exp_alerts: [] },
        { eval_time: '20m', alertname: 'WireFederationOurDnsBroken', exp_alerts: [expected('WireFederationOurDnsBroken', {}, '', 'dns.a')] },
        { eval_time: '35m', alertname: 'WireFederationCheckCannotRun', exp_alerts: [] },
      ],
    },
    {
      name: 'a peer that cannot be reached: one warning for the peer (not one per check), no page',
      input_series: [
        ...state('tls', 'far.example', 'error'),
        ...state('accepts-us', 'far.example', 'error'),
        ...state('federation.call', 'far.example', 'error'),
        ...state('srv', 'far.example', 'pass'),
      ],
      alert_rule_test: [
        { eval_time: '20m', alertname: 'WireFederationCheckCannotRun', exp_alerts: [] },
        { eval_time: '35m', alertname: 'WireFederationCheckCannotRun', exp_alerts: [expected('WireFederationCheckCannotRun', { peer: 'far.example' }, '3')] },
        { eval_time: '35m', alertname: 'WireFederationPeerCallFailing', exp_alerts: [] },
      ],
    },
    {
      // The DNS server does not answer: our records and every peer's SRV lookup have no verdict.
      name: 'our DNS fails: ONE alert names it, no page per peer',
      input_series: exporterSeries(
        {
          'dns.srv': 'error',
          'dns.srv.target': 'skipped',
          'dns.srv.port': 'skipped',
          'dns.srv.weight': 'skipped',
          'dns.a': 'error',
          'dns.aaaa': 'error',
          'tls.connect': 'skipped',
          'tls.san': 'skipped',
          'tls.expiry': 'skipped',
          'tls.eku': 'skipped',
          'tls.key': 'skipped',
          'tls.chain': 'skipped',
          'mtls.required': 'skipped',
          'mtls.client': 'skipped',
        },
        {
          srv: 'error',
          'srv.weight': 'skipped',
          tls: 'skipped',
          san: 'skipped',
          expiry: 'skipped',
          chain: 'skipped',
          'accepts-us': 'skipped',
          'federation.call': 'skipped',
        },
      ),
      alert_rule_test: onlyThese('45m', { WireFederationOurDnsBroken: [expected('WireFederationOurDnsBroken', { job: JOB }, '', 'dns.a dns.aaaa dns.srv')] }),
    },
    {
      // Our SRV record is gone: every peer's federator refuses our calls (it cannot find us).
      name: 'our SRV record goes: ONE alert names it, no page per peer',
      input_series: [
        ...exporterSeries(
          { 'dns.srv': 'fail', 'dns.srv.target': 'skipped', 'dns.srv.port': 'skipped', 'dns.srv.weight': 'skipped' },
          { 'federation.call': 'fail' },
        ),
        ...PEERS.map((p) => refused(p, 'discovery-failure')),
      ],
      alert_rule_test: onlyThese('45m', {
        WireFederationSrvRecordBroken: [expected('WireFederationSrvRecordBroken', { check: 'dns.srv', peer: '', status: 'fail', job: JOB })],
      }),
    },
    {
      // Our certificate expired: every peer's ingress refuses it, and the call fails.
      name: 'our certificate fails: ONE alert names it, no page per peer',
      input_series: exporterSeries({ 'tls.expiry': 'fail', 'mtls.client': 'fail' }, { 'accepts-us': 'fail', 'federation.call': 'skipped' }),
      alert_rule_test: onlyThese('45m', {
        WireFederationOurCertificateBroken: [expected('WireFederationOurCertificateBroken', { job: JOB }, '', 'mtls.client tls.expiry')],
      }),
    },
    {
      // The same peers fail, our side is fine: one page per failing peer (the rule logic does not hide real failures).
      name: 'peers that refuse us while our side is fine: a page per peer',
      input_series: [...exporterSeries({}, { 'federation.call': 'fail' }), ...PEERS.map((p) => refused(p, 'federation-denied'))],
      alert_rule_test: onlyThese('45m', {
        WireFederationPeerCallFailing: PEERS.map((p) =>
          expected('WireFederationPeerCallFailing', { check: 'federation.call', peer: p, status: 'fail', job: JOB }, '', 'federation-denied'),
        ),
      }),
    },
    {
      name: 'calling: a peer coturn that refuses our certificate pages; a whitelist mismatch warns; a skipped check does not count',
      input_series: [
        ...state('calling.dtls.connect', '', 'pass'),
        ...state('calling.accepts-us', 'strict.example', 'fail'),
        ...state('calling.accepts-us', 'down.example', 'skipped'),
        ...state('calling.whitelist', 'renamed.example', 'fail'),
        ...state('calling.dtls', 'fine.example', 'pass'),
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'WireFederationPeerCoturnRefusesUs', exp_alerts: [] },
        {
          eval_time: '15m',
          alertname: 'WireFederationPeerCoturnRefusesUs',
          exp_alerts: [expected('WireFederationPeerCoturnRefusesUs', { check: 'calling.accepts-us', peer: 'strict.example', status: 'fail' })],
        },
        { eval_time: '10m', alertname: 'WireFederationPeerCoturnBroken', exp_alerts: [] },
        {
          eval_time: '20m',
          alertname: 'WireFederationPeerCoturnBroken',
          exp_alerts: [expected('WireFederationPeerCoturnBroken', { check: 'calling.whitelist', peer: 'renamed.example', status: 'fail' })],
        },
        { eval_time: '20m', alertname: 'WireFederationOurCoturnBroken', exp_alerts: [] },
        { eval_time: '20m', alertname: 'WireFederationPeerRefusesOurCertificate', exp_alerts: [] },
      ],
    },
    {
      // Our coturn lets anyone in and its certificate expired: every peer's coturn refuses it too.
      name: 'calling: our coturn fails: ONE alert names it, no calling page per peer, the federator alerts unaffected',
      input_series: [
        ...exporterSeries({}, {}),
        ...state('calling.dtls.connect', '', 'pass', JOB),
        ...state('calling.dtls.expiry', '', 'fail', JOB),
        ...state('calling.dtls.mutual', '', 'fail', JOB),
        ...PEERS.flatMap((p) => [
          ...state('calling.dtls', p, 'pass', JOB),
          ...state('calling.accepts-us', p, 'fail', JOB),
          ...state('calling.expiry', p, 'pass', JOB),
        ]),
      ],
      alert_rule_test: onlyThese('45m', {
        WireFederationOurCoturnBroken: [expected('WireFederationOurCoturnBroken', { job: JOB }, '', 'calling.dtls.expiry calling.dtls.mutual')],
      }),
    },
    {
      name: "calling: coturn certificates expire: ours and a peer's, each with its own renewal hint",
      input_series: [
        { series: 'wire_federation_certificate_not_after_timestamp_seconds{subject="coturn",peer=""}', values: `${3 * day + 7200}x200` },
        { series: 'wire_federation_certificate_not_after_timestamp_seconds{subject="peer_coturn",peer="soon.example"}', values: `${14 * day + 7200}x200` },
      ],
      alert_rule_test: [
        {
          eval_time: '2h',
          alertname: 'WireFederationCertificateExpiryCritical',
          exp_alerts: [expected('WireFederationCertificateExpiryCritical', { subject: 'coturn', peer: '' }, '3d 0h 0m 0s')],
        },
        {
          eval_time: '2h',
          alertname: 'WireFederationCertificateExpiringSoon',
          exp_alerts: [expected('WireFederationCertificateExpiringSoon', { subject: 'peer_coturn', peer: 'soon.example' }, '14d 0h 0m 0s')],
        },
      ],
    },
    {
      name: 'rounds that miss their deadline; certificate files that cannot be read',
      input_series: [
        { series: `wire_federation_round_deadline_exceeded_total{job="${JOB}"}`, values: '0+1x60' },
        { series: `wire_federation_credentials_read_ok{job="${JOB}"}`, values: '1x5 0x60' },
      ],
      alert_rule_test: [
        { eval_time: '10m', alertname: 'WireFederationRoundDeadlineMissed', exp_alerts: [] },
        { eval_time: '40m', alertname: 'WireFederationRoundDeadlineMissed', exp_alerts: [expected('WireFederationRoundDeadlineMissed', { job: JOB }, '15')] },
        { eval_time: '10m', alertname: 'WireFederationCredentialsUnreadable', exp_alerts: [] },
        { eval_time: '20m', alertname: 'WireFederationCredentialsUnreadable', exp_alerts: [expected('WireFederationCredentialsUnreadable', { job: JOB })] },
      ],
    },
    {
      name: 'the exporter: down, then absent',
      input_series: [{ series: 'up{job="wire-federation-exporter",instance="a"}', values: '1 1 0x20' }],
      alert_rule_test: [
        { eval_time: '3m', alertname: 'WireFederationExporterDown', exp_alerts: [] },
        {
          eval_time: '10m',
          alertname: 'WireFederationExporterDown',
          exp_alerts: [expected('WireFederationExporterDown', { job: 'wire-federation-exporter', instance: 'a' })],
        },
        { eval_time: '10m', alertname: 'WireFederationExporterAbsent', exp_alerts: [] },
      ],
    },
    {
      name: 'no exporter at all',
      input_series: [{ series: 'up{job="something-else"}', values: '1x30' }],
      alert_rule_test: [
        {
          eval_time: '20m',
          alertname: 'WireFederationExporterAbsent',
          exp_alerts: [expected('WireFederationExporterAbsent', { job: 'wire-federation-exporter' })],
        },
      ],
    },
  ];
  return stringify({ rule_files: [ruleFile], evaluation_interval: '1m', tests: tests.map((t) => ({ interval: '1m', ...t })) }, { lineWidth: 0 });
}

describeWithBinary('the alert rules with promtool', 'promtool', (promtool) => {
  let dir: TempDir;
  beforeAll(() => (dir = new TempDir()));
  afterAll(() => dir?.cleanup());

  test('promtool check rules', () => {
    const r = spawnSync(promtool, ['check', 'rules', RULE_FILE], { encoding: 'utf8', timeout: 30_000 });
    expect({ code: r.status, out: r.stdout }).toEqual({ code: 0, out: expect.stringContaining(`SUCCESS: ${rules.length} rules found`) });
  });

  test('promtool test rules: series that fire and series that do not', () => {
    const file = dir.file('alerts.test.yaml', unitTests(RULE_FILE));
    const r = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
    expect({ code: r.status, out: r.stdout + r.stderr }).toEqual({ code: 0, out: expect.stringContaining('SUCCESS') });
  });

  test('promtool test rules notices a wrong expectation (the test can fail)', () => {
    const wrong = unitTests(RULE_FILE).replace('eval_time: 15m', 'eval_time: 8m');
    const r = spawnSync(promtool, ['test', 'rules', dir.file('wrong.test.yaml', wrong)], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
  });
});
