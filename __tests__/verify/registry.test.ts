/**
 * The registry of verify checks (lib/verify/checks/): every check declared once, every metric a
 * check feeds and every alert's metric defined there, and the ids verify accepts typed by it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CHECK_GROUPS,
  METRICS,
  METRIC_NAMES,
  OWN_IDS,
  PEER_IDS,
  VerifyCheckId,
  checkOf,
  checksNeeding,
  checksOf,
  detailsOf,
  documentedChecks,
  peerCheckId,
  registryAlertRules,
} from '../../lib/verify/checks';
import { EXPORTER_METRICS } from '../../lib/verify/checks/exporter';
import { FEDERATION_CALL } from '../../lib/verify/checks/peer';
import type { CheckState, MetricDefinition } from '../../lib/verify/checks/types';
import { fail, pass } from '../../lib/verify/report';
import { alertRulesYaml } from '../../lib/monitoring/alert-rules';

const allChecks = CHECK_GROUPS.flatMap((g) => g.checks.map((c) => ({ scope: g.scope, check: c, group: g })));
const STATES: readonly CheckState[] = ['pass', 'warn', 'fail', 'error', 'skipped'];

describe('the registry of verify checks', () => {
  test('every check is declared once in its scope, with a level, a description and a fix', () => {
    for (const scope of ['own', 'run', 'peer', 'live'] as const) {
      const ids = checksOf(scope).map((c) => c.id);
      expect({ scope, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ scope, duplicates: [] });
    }
    for (const { check } of allChecks) {
      expect({
        id: check.id,
        description: check.description.length > 0,
        fix: check.fix.length > 0,
        level: ['error', 'warning', 'error or warning', 'info'].includes(check.level),
      }).toEqual({ id: check.id, description: true, fix: true, level: true });
    }
    // Our own checks and a peer's are distinct lists: the reference shows each once.
    expect(documentedChecks().map((d) => d.reportedId)).toEqual([...new Set(documentedChecks().map((d) => d.reportedId))]);
  });

  test('a check that feeds metrics only feeds metrics its group declares; the rest are declared metric-free (check_ok and check_status only)', () => {
    const declared = new Set(METRICS);
    for (const { check, group } of allChecks) {
      if (!check.samples) continue;
      const own = new Set<MetricDefinition>('metrics' in group && group.metrics ? Object.values(group.metrics) : []);
      // Every state, with and without a result: the metrics sampled must be the group's.
      for (const state of STATES) {
        for (const samples of [
          check.samples({ state, peer: 'b.example', end: 1000 }),
          check.samples({ state, peer: 'b.example', end: 1000, presentedNotAfter: 2000 }),
        ]) {
          for (const s of samples) {
            expect({ check: check.id, metric: s.metric.name, inGroup: own.has(s.metric), registered: declared.has(s.metric) }).toEqual({
              check: check.id,
              metric: s.metric.name,
              inGroup: true,
              registered: true,
            });
            expect(Object.keys(s.labels).sort()).toEqual([...s.metric.labels].sort());
          }
        }
      }
    }
    // The metrics a group declares are fed by one of its checks (or by the round extra it names, e.g. the mesh).
    for (const group of CHECK_GROUPS) {
      if (!('metrics' in group) || !group.metrics) continue;
      const byExtra = 'fedByRoundExtra' in group && typeof group.fedByRoundExtra === 'string';
      expect({ scope: group.scope, feeds: byExtra || group.checks.some((c: { samples?: unknown }) => c.samples !== undefined) }).toEqual({
        scope: group.scope,
        feeds: true,
      });
    }
    const metricFree = allChecks.filter(({ check }) => !check.samples).map(({ check }) => check.id);
    expect(metricFree).toContain('dns.srv');
    expect(allChecks.filter(({ check }) => check.samples).map(({ scope, check }) => `${scope}:${check.id}`)).toEqual([
      'peer:expiry',
      'peer:chain',
      'peer:federation.call',
      'peer:calling.expiry',
      'own:tls.expiry',
      'own:tls.chain',
      'own:calling.dtls.expiry',
    ]);
  });

  test('every metric has a unique name, the exporter prefix and help; METRIC_NAMES names exactly them', () => {
    const names = METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of METRICS)
      expect({ name: m.name, prefix: m.name.startsWith('wire_federation_'), help: m.help.length > 20 }).toEqual({ name: m.name, prefix: true, help: true });
    expect(Object.values(METRIC_NAMES).sort()).toEqual([...names].sort());
    for (const m of METRICS.filter((m) => m.type === 'counter')) expect(m.name).toMatch(/_total$/);
  });

  test('every alert rule reads only metrics the registry defines (besides up)', () => {
    const known = new Set([...METRICS.map((m) => m.name), 'up']);
    const rules = registryAlertRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) {
      const used = [...r.expr.matchAll(/\b(wire_federation_[a-z_]+|up)\b/g)].map((m) => m[1]);
      const fromTemplates = [...`${r.annotations.summary} ${r.annotations.description}`.matchAll(/\b(wire_federation_[a-z_]+)\{/g)].map((m) => m[1]);
      for (const name of [...used, ...fromTemplates]) expect({ alert: r.alert, name, known: known.has(name) }).toEqual({ alert: r.alert, name, known: true });
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  test('alerts on a check name a check the registry has', () => {
    const ids = new Set([...checksOf('own'), ...checksOf('peer')].map((c) => c.id));
    for (const r of registryAlertRules()) {
      for (const m of r.expr.matchAll(/check="([^"]+)"/g))
        expect({ alert: r.alert, check: m[1], known: ids.has(m[1]) }).toEqual({ alert: r.alert, check: m[1], known: true });
      for (const m of r.expr.matchAll(/check=~"([^"]+)"/g)) {
        const re = new RegExp(`^(?:${m[1].replace(/\\\\/g, '\\')})$`);
        expect({ alert: r.alert, pattern: m[1], matches: [...ids].some((id) => re.test(id)) }).toEqual({ alert: r.alert, pattern: m[1], matches: true });
      }
    }
  });

  test("a per-peer alert holds back while our side is broken; the alert file is the registry's", () => {
    const rules = registryAlertRules();
    for (const r of rules.filter((r) => r.whenOurSideBroken === 'hold back')) expect(r.expr).toMatch(/ unless on\(\) \(max\(/);
    expect(alertRulesYaml()).toBe(readFileSync(resolve(__dirname, '../../monitoring/alerts.yaml'), 'utf8'));
  });

  test('skips and round ids come from the checks’ needs and cardOnly', () => {
    expect(checksNeeding('own', 'address')).toEqual([
      'tls.connect',
      'tls.san',
      'tls.expiry',
      'tls.eku',
      'tls.key',
      'tls.chain',
      'mtls.required',
      'mtls.client',
    ]);
    expect(checksNeeding('own', 'certificate')).toEqual(['tls.san', 'tls.expiry', 'tls.eku', 'tls.key', 'tls.chain']);
    expect(checksNeeding('own', 'connection')).toEqual(['mtls.required', 'mtls.client']);
    expect(checksNeeding('peer', 'address')).toEqual(['tls', 'san', 'expiry', 'chain', 'accepts-us', 'federation.call']);
    expect(checksNeeding('peer', 'certificate')).toEqual(['san', 'expiry', 'chain']);
    expect(PEER_IDS).not.toContain('versions');
    expect(OWN_IDS).not.toContain('peers');
    expect(checkOf('peer[b.example].federation.call')).toBe(FEDERATION_CALL);
    expect(checkOf('tls.expiry')?.id).toBe('tls.expiry');
    expect(checkOf('no.such.check')).toBeUndefined();
  });

  test("a result's details are typed by its check, and only for that check's results", () => {
    const call = {
      ...fail(peerCheckId('b.example', 'federation.call'), 'refused'),
      details: { component: 'federator' as const, label: 'federation-denied', commonVersions: [1, 2] },
    };
    expect(detailsOf(FEDERATION_CALL, call)?.commonVersions).toEqual([1, 2]);
    expect(detailsOf(FEDERATION_CALL, { ...pass(peerCheckId('b.example', 'srv'), 'ok'), details: { label: 'x' } })).toBeUndefined();
    const samples = FEDERATION_CALL.samples!({ state: 'fail', result: call, peer: 'b.example', end: 1 });
    expect(samples.map((s) => [s.metric.name, s.labels, s.value])).toEqual([
      ['wire_federation_peer_call_refusal', { peer: 'b.example', refusal: 'federation-denied' }, 1],
      ['wire_federation_peer_api_versions_overlap', { peer: 'b.example' }, 2],
      ['wire_federation_peer_api_version_negotiated', { peer: 'b.example' }, 2],
    ]);
    expect(EXPORTER_METRICS.checkStatus.labels).toEqual(['check', 'peer', 'status']);
  });

  test('only registered ids type-check (a compile-time guard)', () => {
    const ids: VerifyCheckId[] = ['dns.srv', 'peers', 'peer[b.example].federation.call', 'live[a→b]', peerCheckId('b.example', 'accepts-us')];
    // @ts-expect-error: not a check of our backend
    const unknownOwn: VerifyCheckId = 'dns.mx';
    // @ts-expect-error: not a check of a peer
    const unknownPeer: VerifyCheckId = 'peer[b.example].nope';
    // @ts-expect-error: peerCheckId takes only a registered peer check
    peerCheckId('b.example', 'tls.san');
    // @ts-expect-error: pass takes only registered ids
    pass('made.up', 'x');
    expect([...ids, unknownOwn, unknownPeer]).toHaveLength(7);
  });
});
